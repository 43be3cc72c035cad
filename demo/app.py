"""The demo's web application: the drawing page and a JSON prediction API.

:func:`create_app` builds a Flask application around a *predictor*, a function
from a batch of 28x28 MNIST-style images to class probabilities. By default the
predictor is the pretrained LeNet-5, loaded once when the application is
created; tests and other models pass their own.

Every response carries security headers (:data:`SECURITY_HEADERS`): a
Content-Security-Policy that allows only the demo's own scripts, styles and
API, ``nosniff``, no framing and no referrer.

Routes:
    ``GET /``               the drawing page (``demo/static/index.html``)
    ``POST /api/predict``   ``{"image": [[...], ...]}`` -> ``{"digit": d, "probabilities": [...]}``
    ``GET /api/health``     ``{"status": "ok"}``

Example:
    >>> import numpy as np
    >>> from demo.app import create_app
    >>> def always_three(batch):
    ...     probabilities = np.zeros((len(batch), 10))
    ...     probabilities[:, 3] = 1.0
    ...     return probabilities
    >>> client = create_app(predict_fn=always_three).test_client()
    >>> image = np.zeros((32, 32))
    >>> image[4:28, 14:18] = 1.0
    >>> answer = client.post("/api/predict", json={"image": image.tolist()}).get_json()
    >>> answer["digit"], answer["probabilities"][3]
    (3, 1.0)
    >>> client.post("/api/predict", data="{oops").get_json()["error"]
    'the request body is not valid JSON: ...'
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from flask import Flask, Response, jsonify, request
from numpy.typing import NDArray
from werkzeug.exceptions import HTTPException

from demo.preprocess import preprocess

#: A predictor: a float32 batch ``(N, 28, 28)`` in [0, 1] -> probabilities ``(N, 10)``.
PredictFn = Callable[[NDArray[np.float32]], NDArray[np.floating]]

#: The largest accepted image side, in pixels.
MAX_SIDE = 512
#: The smallest accepted image side, in pixels.
MIN_SIDE = 8
#: The largest accepted request body: a 512x512 image written with generous precision.
MAX_CONTENT_LENGTH = 8 * 1024 * 1024

STATIC_DIR = Path(__file__).resolve().parent / "static"
BLANK_MESSAGE = "The image is blank: draw a digit (ink = 1 on a 0 background)."
INVERTED_MESSAGE = (
    "Most of the image is ink; the API expects ink = 1 on a 0 background "
    "(invert black-on-white images)."
)

logger = logging.getLogger(__name__)

#: Sent with every response: only the demo's own files run, nothing frames it.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class InputError(ValueError):
    """A request the API cannot accept; the message tells the client what to send instead.

    Example:
        >>> from demo.app import InputError, parse_image
        >>> try:
        ...     parse_image({"image": [[0.5, 2.0]] * 8})
        ... except InputError as error:
        ...     print(error)
        image is 8x2; each side must be between 8 and 512 pixels
    """


def decode_json(body: bytes) -> Any:
    """Decode a request body as strict JSON (``NaN`` and ``Infinity`` are rejected).

    Raises:
        InputError: the body is empty, not UTF-8, not JSON, or nested absurdly deep.

    Example:
        >>> from demo.app import decode_json
        >>> decode_json(b'{"image": [[0, 1]]}')
        {'image': [[0, 1]]}
        >>> decode_json(b'[NaN]')
        Traceback (most recent call last):
        ...
        demo.app.InputError: NaN is not a valid JSON number; values must be finite
    """
    if not body.strip():
        raise InputError('the request body is empty; send JSON {"image": [[...], ...]}')
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except InputError:
        raise
    except RecursionError:
        raise InputError("the request body's JSON is nested too deeply") from None
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
        raise InputError(f"the request body is not valid JSON: {error}") from None


def _reject_constant(name: str) -> Any:
    raise InputError(f"{name} is not a valid JSON number; values must be finite")


def parse_image(payload: Any) -> NDArray[np.float64]:
    """Check a decoded request and return its image as a float64 2-D array.

    The payload must be ``{"image": rows}`` where ``rows`` is a list of equally
    long lists of numbers in [0, 1], each side between :data:`MIN_SIDE` and
    :data:`MAX_SIDE`. The checks run per row (at most 512 of them), never per pixel
    in Python.

    Raises:
        InputError: with a message naming the first problem found.

    Example:
        >>> from demo.app import parse_image
        >>> parse_image({"image": [[0, 0.5] * 4] * 8}).shape
        (8, 8)
        >>> parse_image({"image": [[0] * 8] * 7 + [[0] * 9]})
        Traceback (most recent call last):
        ...
        demo.app.InputError: image rows have different lengths: row 0 has 8 values, row 7 has 9
    """
    if not isinstance(payload, dict) or "image" not in payload:
        raise InputError('expected a JSON object {"image": [[...], ...]}')
    rows = payload["image"]
    if not isinstance(rows, list) or not rows or not isinstance(rows[0], list):
        raise InputError('"image" must be a 2-D array: a non-empty list of rows of numbers')
    height, width = len(rows), len(rows[0])
    if not (MIN_SIDE <= height <= MAX_SIDE and MIN_SIDE <= width <= MAX_SIDE):
        raise InputError(
            f"image is {height}x{width}; each side must be between {MIN_SIDE} and {MAX_SIDE} pixels"
        )
    for index, row in enumerate(rows):
        _check_row(index, row, width)
    try:
        image = np.array(rows, dtype=np.float64)
    except OverflowError:
        raise InputError("image holds a number too large for a float") from None
    bad = ~np.isfinite(image)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise InputError(f"image[{r}][{c}] is {image[r, c]}; values must be finite")
    outside = (image < 0.0) | (image > 1.0)
    if outside.any():
        r, c = np.argwhere(outside)[0]
        raise InputError(
            f"image[{r}][{c}] is {image[r, c]:g}; values must lie in 0..1 "
            "(ink = 1 on a 0 background; divide 8-bit pixels by 255)"
        )
    return image


def _check_row(index: int, row: Any, width: int) -> None:
    """Raise InputError unless ``row`` is a list of ``width`` ints/floats (bools excluded)."""
    if not isinstance(row, list):
        kind = _json_type(row)
        article = "an" if kind[0] in "aeiou" else "a"
        raise InputError(f"image row {index} is {article} {kind}, not a list of numbers")
    if len(row) != width:
        raise InputError(
            f"image rows have different lengths: row 0 has {width} values, "
            f"row {index} has {len(row)}"
        )
    kinds = set(map(type, row))  # C-level iteration: no Python loop over pixels
    if not kinds <= {int, float}:
        wrong = next(kind for kind in (dict, list, str, bool, type(None)) if kind in kinds)
        raise InputError(
            f"image row {index} holds a {_JSON_NAMES[wrong]}; values must be numbers from 0 to 1"
        )


_JSON_NAMES: dict[type, str] = {
    dict: "object",
    list: "list",
    str: "string",
    bool: "boolean",
    type(None): "null",
    int: "number",
    float: "number",
}


def _json_type(value: Any) -> str:
    return _JSON_NAMES.get(type(value), type(value).__name__)


def lenet_predictor(weights: str | Path | None = None, allow_nonfinite: bool = False) -> PredictFn:
    """Load LeNet-5 once, check that it answers sensibly, and return a predictor using it.

    The predictor normalises its ``(N, 28, 28)`` batch of [0, 1] images the way
    the training program normalised MNIST, runs the network without recording a
    graph and returns softmax probabilities ``(N, 10)``. It keeps no state
    between calls, so threads may share it (minigrad's grad mode is per thread).

    Args:
        weights: a state dict file (default: the shipped pretrained weights).
        allow_nonfinite: accept weights holding NaN or infinity (refused by default).

    Raises:
        FileNotFoundError: the weights file is missing.
        ValueError: the weights are unreadable, do not fit LeNet-5, hold non-finite
            values, or the model does not answer a test image with 10 finite
            probabilities (see :func:`check_predictor`).
    """
    import models
    from minigrad.serialization import load_weights
    from models.lenet import classify

    path = models.weights_path("lenet5") if weights is None else Path(weights)
    if not path.exists():
        raise FileNotFoundError(
            f"LeNet-5 weights not found at {path}; train them with "
            "`python -m train.mnist --out runs/mnist` and pass --weights runs/mnist/best.npz"
        )
    model = models.lenet5().eval()
    try:
        model.load_state_dict(load_weights(path, allow_nonfinite=allow_nonfinite))
    except (ValueError, RuntimeError, KeyError) as error:
        raise ValueError(f"the demo cannot use the weights {path}: {error}") from error

    def predict(batch: NDArray[np.float32]) -> NDArray[np.float32]:
        return classify(model, batch)

    check_predictor(predict, f"LeNet-5 with the weights {path}")
    return predict


def check_predictor(predictor: PredictFn, name: str = "the predictor") -> None:
    """Ask ``predictor`` about a blank and a drawn image; raise unless it answers sensibly.

    The answer must be 10 finite probabilities per image, summing to 1.

    Raises:
        ValueError: naming what came back instead.

    Example:
        >>> import numpy as np
        >>> from demo.app import check_predictor
        >>> check_predictor(lambda batch: np.full((len(batch), 10), 0.1))
        >>> check_predictor(lambda batch: np.full((len(batch), 10), np.nan), "broken")
        Traceback (most recent call last):
        ...
        ValueError: broken answers a test image with non-finite probabilities ...
    """
    probe = np.zeros((2, 28, 28), dtype=np.float32)
    probe[1, 4:24, 12:16] = 1.0  # a "1"
    answer = np.asarray(predictor(probe), dtype=np.float64)
    if answer.shape != (2, 10):
        raise ValueError(f"{name} answers 2 test images with shape {answer.shape}, not (2, 10)")
    if not np.isfinite(answer).all():
        raise ValueError(
            f"{name} answers a test image with non-finite probabilities {answer[0].tolist()}; "
            "the weights are broken"
        )
    if not np.allclose(answer.sum(axis=1), 1.0, atol=1e-3) or (answer < 0).any():
        raise ValueError(f"{name} answers with values that are not probabilities: {answer[0]}")


def create_app(predict_fn: PredictFn | None = None) -> Flask:
    """Build the demo's Flask application.

    Args:
        predict_fn: maps a float32 batch ``(N, 28, 28)`` of MNIST-style images in
            [0, 1] to probabilities ``(N, 10)``. ``None`` loads the pretrained
            LeNet-5 now, once (see :func:`lenet_predictor`).

    Example:
        >>> import numpy as np
        >>> from demo.app import create_app
        >>> app = create_app(predict_fn=lambda batch: np.full((len(batch), 10), 0.1))
        >>> client = app.test_client()
        >>> client.get("/api/health").get_json()
        {'status': 'ok'}
        >>> answer = client.post("/api/predict", json={"image": [[0.0] * 8] * 8}).get_json()
        >>> answer["digit"], answer["message"]
        (None, 'The image is blank: draw a digit (ink = 1 on a 0 background).')
        >>> client.post("/api/predict", json={"image": "seven"}).status_code
        400
    """
    predictor = lenet_predictor() if predict_fn is None else predict_fn
    app = Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static")
    app.config["MAX_CONTENT_LENGTH"] = MAX_CONTENT_LENGTH
    app.json.sort_keys = False  # type: ignore[attr-defined]

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.get("/")
    def index() -> Response:
        return app.send_static_file("index.html")

    @app.get("/api/health")
    def health() -> Response:
        return jsonify(status="ok")

    @app.post("/api/predict")
    def predict() -> tuple[Response, int] | Response:
        try:
            image = parse_image(decode_json(request.get_data(cache=False)))
        except InputError as error:
            return jsonify(error=str(error)), 400
        return jsonify(predict_digit(image, predictor))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        code = error.code or 500
        if code == 413:
            # A client error like any other bad input: 400 with a message, as the API promises.
            code = 400
            message = (
                f"the request body is larger than the limit of {MAX_CONTENT_LENGTH} bytes; "
                f"images may be at most {MAX_SIDE}x{MAX_SIDE}"
            )
        else:
            message = error.description or error.name
        return jsonify(error=message), code

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> tuple[Response, int]:
        logger.exception("demo: unexpected error while answering %s", request.path)
        return jsonify(error="internal server error"), 500

    return app


def predict_digit(image: NDArray[np.floating], predictor: PredictFn) -> dict[str, Any]:
    """Preprocess one drawn image and ask ``predictor`` which digit it is.

    Returns the API's answer: ``digit`` (int, or ``None`` when the image is
    blank), ``probabilities`` (ten floats, or ``None``), ``preprocessed`` (the
    28x28 image the network saw, rounded to 3 decimals, or ``None``) and, when
    there is something to say, ``message``.

    Example:
        >>> import numpy as np
        >>> from demo.app import predict_digit
        >>> image = np.zeros((40, 40))
        >>> image[10:30, 18:22] = 1.0
        >>> answer = predict_digit(image, lambda batch: np.eye(10)[[1]])
        >>> answer["digit"], len(answer["preprocessed"])
        (1, 28)
    """
    digit_image = preprocess(image)
    if digit_image is None:
        return {
            "digit": None,
            "probabilities": None,
            "preprocessed": None,
            "message": BLANK_MESSAGE,
        }
    probabilities = np.asarray(predictor(digit_image[None]), dtype=np.float64)
    if probabilities.shape != (1, 10) or not np.isfinite(probabilities).all():
        raise RuntimeError(
            f"predictor returned an array of shape {probabilities.shape} with "
            f"finite={bool(np.isfinite(probabilities).all())}; expected 10 finite probabilities"
        )
    answer: dict[str, Any] = {
        "digit": int(probabilities[0].argmax()),
        "probabilities": [float(p) for p in probabilities[0]],
        "preprocessed": np.round(digit_image, 3).tolist(),
    }
    if (image > 0.5).mean() > 0.5:
        answer["message"] = INVERTED_MESSAGE
    return answer


__all__ = [
    "MAX_CONTENT_LENGTH",
    "MAX_SIDE",
    "MIN_SIDE",
    "SECURITY_HEADERS",
    "InputError",
    "PredictFn",
    "check_predictor",
    "create_app",
    "decode_json",
    "lenet_predictor",
    "parse_image",
    "predict_digit",
]
