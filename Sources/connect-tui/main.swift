import ConnectTUICommands
import Dispatch

// `connect-tui`: the commands over the offline sandbox and the terminal. `serve` and `--backend pluggy`
// exec connect-tui-net, which links the network stack (see NetworkCommands).
//
// The command runs on Swift's task pool while the main thread waits. A top-level `await` would park the
// main thread in dispatch_main(), whose pthread_exit unwinds its stack; in the fully static build that
// first unwind sorts every frame description in the binary, milliseconds of start-up on both cores.
func runCommand() {
    let finished = DispatchSemaphore(value: 0)
    Task.detached {
        await ConnectTUI.start()
        finished.signal()
    }
    finished.wait()
}

runCommand()
