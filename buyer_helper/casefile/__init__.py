"""The buyer's case: the answers file, its shape and checks, the case folder, its lock and
timeline.
"""
