"""The experiments behind the chapters "Advantages of LSTMs" and "Disadvantages of LSTMs".

Each claim of the article is one function in :mod:`lstm.experiments.advantages` or
:mod:`lstm.experiments.disadvantages`: a small seeded computation that returns a result object
(the numbers and what to plot), with a plotting helper beside it.
"""
