"""The main window: its layout, menus, scan session, scan bar and welcome page."""
