// The cell grid the screens draw into.
