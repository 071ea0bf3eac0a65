"""canbo: officials, positions, bodies, places and figures from Vietnamese local-government news.

Installed as one namespace: ``canbo.model`` (the library: ``load``, ``predict``, records, CLI),
``canbo.train`` (training, corpus building) and ``canbo.eval`` (scoring, reports, benchmark);
the repository keeps them as the folders ``model/``, ``train/`` and ``eval/``.
"""
