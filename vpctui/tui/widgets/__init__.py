"""The panes and bars of the main screen. Views only: they get data from the app and report intent
upward with messages; they never call a loader or the engine."""
