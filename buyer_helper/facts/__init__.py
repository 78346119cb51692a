"""What the tool knows: channels, platforms, law articles, area codes, the working-day calendar and
office hours.
"""
