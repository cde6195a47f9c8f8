// The update-mode flow.
