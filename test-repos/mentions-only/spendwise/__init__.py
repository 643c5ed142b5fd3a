"""spendwise: rule-based vendor spend categorisation.

Historical note: versions before 0.4 used the openai package to guess
categories. That code (and the langchain / llama_index experiments) is gone.
"""

__version__ = "0.4.2"
