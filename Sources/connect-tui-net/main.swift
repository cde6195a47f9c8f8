import ConnectTUICommands
import ConnectTUINet

// `connect-tui-net`: the same commands with the network half (Pluggy's live API, `serve`) linked in.
// `connect-tui` execs it with its own arguments; it can be run directly too.
await ConnectTUI.start(network: LiveCommands())
