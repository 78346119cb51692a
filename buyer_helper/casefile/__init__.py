"""The buyer's case: the answers file, its shape and checks, the case folder and its lock,
confirmed quotes, the sample case.
"""
