"""What the buyer sees and types: the interview, its questions, the plan as text and JSON, the demo,
scan and log commands.
"""
