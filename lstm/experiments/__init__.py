"""The experiments behind the chapters "Advantages of LSTMs" and "Disadvantages of LSTMs".

One module per claim of the article, named after it; a chapter section imports from the module
of its name. Each holds the claim's experiment function(s) (a small seeded computation), the
frozen result type it returns (plain NumPy arrays) and the plot of that result.

=======================================  ========================================================
claim (chapter section)                  module
=======================================  ========================================================
**Advantages of LSTMs** (chapter 8)
1. no vanishing (or exploding) gradient  :mod:`lstm.experiments.vanishing_gradient`
2. long-term dependencies                :mod:`lstm.experiments.long_term_dependencies`
   (delayed recall, opening up the LSTM)
   the adding problem                    :mod:`lstm.experiments.adding_problem`
3. variable-length sequences             :mod:`lstm.experiments.variable_length`
4. robustness to noise                   :mod:`lstm.experiments.noise`
5. wide applicability (real data)        :mod:`lstm.experiments.real_data`
**Disadvantages of LSTMs** (chapter 9)
1. computational cost                    :mod:`lstm.experiments.cost`
2. complex architecture (ablation)       :mod:`lstm.experiments.ablation`
3. very long sequences                   :mod:`lstm.experiments.long_sequences`
4. limited parallelisation               :mod:`lstm.experiments.parallelism`
5. hyperparameter tuning                 :mod:`lstm.experiments.hyperparameters`
6. outshone by Transformers              :mod:`lstm.experiments.attention`
=======================================  ========================================================

Shared by them: :mod:`lstm.experiments.common` (colours, argument checks, figure helpers,
minimum-time measurement, progress bars), :mod:`lstm.experiments.latest_recall` (the task of
the ablation, the long-sequence test and the sweep), :mod:`lstm.experiments.reporting` (the
words for results over many seeds that the chapters' inline code writes) and
:mod:`lstm.experiments.sweeps` (the
training loop those three share, and one BLAS thread for chapter 9's training runs). The
measurements that explorers need too live below the experiments: :mod:`lstm.gradient_flow`
(gradient reaching earlier steps), :mod:`lstm.dependencies` (dependency graphs and their
longest chain) and :mod:`lstm.variant_comparison` (the LSTM, coupled LSTM and GRU on the same
pulses). The
explorers of chapters 8-10 (``gradient_flow_explorer``, ``dependency_explorer``,
``variant_explorer``) live in :mod:`lstm.explorers`; experiments may import explorers, never
the other way round.
"""
