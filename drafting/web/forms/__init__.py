"""Forms: the questions as HTML fields, posted fields back into answers, problems onto fields."""
