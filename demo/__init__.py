"""A web page where you draw a digit and the pretrained LeNet-5 says which it is.

Start it with ``python -m demo`` (needs the ``[demo]`` extra: Flask and waitress)
and open http://127.0.0.1:8000. The pieces:

- :mod:`demo.preprocess`: MNIST's preprocessing of a drawn image, in NumPy.
- :mod:`demo.app`: the Flask application, ``create_app(predict_fn=None)``.
- :mod:`demo.__main__`: the command line, serving the app with waitress.

Example:
    >>> import demo
    >>> demo.__all__
    ['app', 'preprocess']
"""

__all__ = ["app", "preprocess"]
