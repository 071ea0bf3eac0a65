"""``canbo serve``: an HTTP API and a web page over the model and the directory of officials.

``create_app`` (in ``canbo.model.serve.app``) builds the FastAPI app; ``cli.register`` adds the
command. FastAPI and uvicorn are imported only when the command runs, so ``canbo --help`` stays cheap.
"""
