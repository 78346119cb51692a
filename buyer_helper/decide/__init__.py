"""The decision: route(case, now) → Plan, its rungs, steps, warnings and the regulator step."""
