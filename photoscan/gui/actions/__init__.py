"""What the user can do to photos: strip, share-safe copies, the summary export (and the
dialogs, plans and checks they run); ``host.ActionHost`` is all they need of the window."""
