"""Questions asked of programs and results.

In: compiled Programs, results of `engine.run`. Out: rule and outcome diffs between regimes (`diff`), the next
question ranked by what it decides (`questions`), and article coverage (`coverage`).
May import every other room of the engine.
"""
