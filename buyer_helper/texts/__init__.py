"""The complaint texts: the facts a template sees, rendering and fitting, the out/ folder, the
phone page and reminders.
"""
