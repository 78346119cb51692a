"""The buyer's evidence files: listing and checking them, reading screenshots, the demo's sample
evidence.
"""
