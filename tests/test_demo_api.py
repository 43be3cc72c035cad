"""The demo's JSON API: validation through Flask's test client, then a real waitress server.

A stand-in predictor (a fixed random linear map) checks everything but accuracy;
the accuracy test sends 200 real MNIST test digits over HTTP to the pretrained
LeNet-5 and is skipped only while its weights are missing.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _helpers import mnist_test_set
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("flask", reason="the demo needs the [demo] extra (flask)")
pytest.importorskip("waitress", reason="the demo needs the [demo] extra (waitress)")

from demo.app import MAX_CONTENT_LENGTH, MAX_SIDE, MIN_SIDE, create_app
from demo.preprocess import preprocess
from demo.server import serve_in_background

REPO = Path(__file__).resolve().parent.parent
WEIGHTS = REPO / "models" / "weights" / "lenet5_mnist.npz"
STATIC = REPO / "demo" / "static"


def linear_predictor(batch: np.ndarray) -> np.ndarray:
    """A stand-in for LeNet-5: softmax of a fixed random linear map of the pixels."""
    logits = batch.reshape(len(batch), -1).astype(np.float64) @ _WEIGHTS
    probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
    return probabilities / probabilities.sum(axis=1, keepdims=True)


_WEIGHTS = np.random.default_rng(0).normal(size=(28 * 28, 10))


def expected_digit(image: np.ndarray) -> int:
    digit = preprocess(image)
    assert digit is not None
    return int(linear_predictor(digit[None]).argmax())


def stroke_image(height: int, width: int, seed: int) -> np.ndarray:
    """A random blob of ink: a few thick line segments on a blank canvas."""
    rng = np.random.default_rng(seed)
    image = np.zeros((height, width))
    rows, cols = np.mgrid[0:height, 0:width]
    thickness = max(1.5, 0.06 * min(height, width))
    for _ in range(3):
        (y0, x0), (y1, x1) = rng.uniform(0.1, 0.9, size=(2, 2)) * [height, width]
        t = np.clip(
            ((rows - y0) * (y1 - y0) + (cols - x0) * (x1 - x0))
            / max((y1 - y0) ** 2 + (x1 - x0) ** 2, 1e-9),
            0,
            1,
        )
        distance = np.hypot(rows - (y0 + t * (y1 - y0)), cols - (x0 + t * (x1 - x0)))
        image = np.maximum(image, np.clip(thickness - distance, 0, 1))
    return image


@pytest.fixture(scope="module")
def client() -> Any:
    return create_app(predict_fn=linear_predictor).test_client()


def post(client: Any, body: Any) -> Any:
    """POST raw bytes as they are, anything else encoded as JSON."""
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post("/api/predict", data=data, content_type="application/json")


def assert_client_error(response: Any, code: int = 400, mentions: str = "") -> None:
    assert response.status_code == code, response.get_data(as_text=True)
    payload = response.get_json()
    assert isinstance(payload, dict) and isinstance(payload.get("error"), str), payload
    assert mentions.lower() in payload["error"].lower(), payload["error"]


# --- answers -------------------------------------------------------------------


@pytest.mark.parametrize(("height", "width"), [(8, 8), (28, 28), (280, 280), (512, 100)])
def test_answers_digit_probabilities_and_the_image_the_network_saw(
    client: Any, height: int, width: int
) -> None:
    image = stroke_image(height, width, seed=height + width)
    response = post(client, {"image": image.tolist()})
    assert response.status_code == 200
    answer = response.get_json()
    probabilities = np.array(answer["probabilities"])
    assert probabilities.shape == (10,)
    assert probabilities.sum() == pytest.approx(1.0)
    assert answer["digit"] == int(probabilities.argmax()) == expected_digit(image)
    seen = np.array(answer["preprocessed"])
    assert seen.shape == (28, 28)
    np.testing.assert_allclose(seen, preprocess(image), atol=5e-4)
    assert "message" not in answer


def test_integers_and_any_content_type_are_accepted(client: Any) -> None:
    image = np.zeros((16, 16), dtype=int)
    image[2:14, 7:9] = 1
    response = client.post("/api/predict", data=json.dumps({"image": image.tolist()}))
    assert response.status_code == 200
    assert response.get_json()["digit"] == expected_digit(image)


@pytest.mark.parametrize(
    "image",
    [np.zeros((8, 8)), np.zeros((MAX_SIDE, MAX_SIDE)), np.full((30, 40), 0.04)],
    ids=["8x8", "512x512", "faint"],
)
def test_a_blank_image_answers_null_with_a_message(client: Any, image: np.ndarray) -> None:
    response = post(client, {"image": image.tolist()})
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["digit"] is None
    assert answer["probabilities"] is None
    assert "blank" in answer["message"]


def test_an_inverted_image_is_answered_with_a_hint(client: Any) -> None:
    image = 1.0 - stroke_image(64, 64, seed=3)
    answer = post(client, {"image": image.tolist()}).get_json()
    assert isinstance(answer["digit"], int)
    assert "ink = 1 on a 0 background" in answer["message"]


# --- client errors: 400 with a message, never 500 -----------------------------------

GOOD_ROW = [0.0] * 10
GOOD = [GOOD_ROW] * 10


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"{oops", "not valid JSON"),
        (b'{"image": [[0.5, 0.5]]', "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b"[" * 100_000, "JSON"),
        (
            b'{"image": [[NaN'
            + b", 0" * 9
            + b"]"
            + b", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]" * 9
            + b"]}",
            "NaN",
        ),
        (b'{"image": [[Infinity]]}', "Infinity"),
        (b'{"image": [[-Infinity]]}', "Infinity"),
    ],
    ids=["empty", "whitespace", "broken", "truncated", "not-utf8", "deep", "nan", "inf", "-inf"],
)
def test_malformed_json_is_a_400(client: Any, body: bytes, mentions: str) -> None:
    assert_client_error(post(client, body), mentions=mentions)


def _with(row: int, col: int, value: Any) -> list[list[Any]]:
    image: list[list[Any]] = [list(GOOD_ROW) for _ in GOOD]
    image[row][col] = value
    return image


@pytest.mark.parametrize(
    ("payload", "mentions"),
    [
        ([GOOD], "JSON object"),
        ("seven", "JSON object"),
        (7, "JSON object"),
        (None, "JSON object"),
        ({"img": GOOD}, "JSON object"),
        ({"image": "seven"}, "2-D array"),
        ({"image": 7}, "2-D array"),
        ({"image": {"0": GOOD_ROW}}, "2-D array"),
        ({"image": []}, "2-D array"),
        ({"image": GOOD_ROW}, "2-D array"),
        ({"image": [GOOD_ROW] * 9 + ["0" * 10]}, "row 9 is a string"),
        ({"image": [GOOD_ROW] * 9 + [{"0": 0}]}, "row 9 is an object, not a list"),
        ({"image": [[[0.0]] * 10] * 10}, "list"),
        ({"image": _with(3, 4, "0.5")}, "row 3 holds a string"),
        ({"image": _with(0, 0, True)}, "boolean"),
        ({"image": _with(9, 9, None)}, "null"),
        ({"image": _with(5, 5, {"v": 1})}, "object"),
        ({"image": [GOOD_ROW] * 9 + [GOOD_ROW[:-1]]}, "different lengths"),
        ({"image": [GOOD_ROW[:-1]] + [GOOD_ROW] * 9}, "different lengths"),
        ({"image": _with(2, 3, -0.1)}, "image[2][3] is -0.1"),
        ({"image": _with(2, 3, 1.5)}, "0..1"),
        ({"image": _with(0, 9, 255)}, "divide 8-bit pixels by 255"),
        ({"image": [[0.0] * 8] * (MIN_SIDE - 1)}, f"between {MIN_SIDE} and {MAX_SIDE}"),
        ({"image": [[0.0] * (MIN_SIDE - 1)] * 8}, "7"),
        ({"image": [[0.0] * 8] * (MAX_SIDE + 1)}, "513x8"),
        ({"image": [[0.0] * (MAX_SIDE + 1)] * 8}, "8x513"),
        ({"image": [[]] * 8}, "8x0"),
    ],
)
def test_wrong_shapes_types_and_values_are_a_400(client: Any, payload: Any, mentions: str) -> None:
    assert_client_error(post(client, payload), mentions=mentions)


def test_numbers_json_cannot_hold_are_a_400(client: Any) -> None:
    row = ", ".join(["0"] * 9)
    rest = f", [0, {row}]" * 9
    huge = f'{{"image": [[1e999, {row}]{rest}]}}'.encode()
    assert_client_error(post(client, huge), mentions="finite")
    enormous = f'{{"image": [[1{"0" * 400}, {row}]{rest}]}}'.encode()
    assert_client_error(post(client, enormous), mentions="too large")


def test_a_body_over_the_limit_is_refused_with_a_message(client: Any) -> None:
    body = b'{"image": [' + b" " * MAX_CONTENT_LENGTH + b"]}"
    assert_client_error(post(client, body), code=400, mentions="limit")


def test_other_routes_and_methods_answer_json_errors(client: Any) -> None:
    assert_client_error(client.get("/api/predict"), code=405)
    assert_client_error(client.get("/api/nothing-here"), code=404)


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=12)
        | st.dictionaries(st.sampled_from(["image", "x"]), children, max_size=2)
    ),
    max_leaves=60,
)


@given(payload=json_values | st.fixed_dictionaries({"image": json_values}))
def test_arbitrary_json_never_gets_a_server_error(client: Any, payload: Any) -> None:
    response = post(client, payload)
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    assert response.is_json


@given(
    size=st.tuples(st.integers(MIN_SIDE, 64), st.integers(MIN_SIDE, 64)),
    seed=st.integers(0, 2**16),
    density=st.floats(0.0, 1.0),
)
def test_any_valid_image_gets_an_answer(
    client: Any, size: tuple, seed: int, density: float
) -> None:
    rng = np.random.default_rng(seed)
    image = np.where(rng.random(size) < density, rng.random(size), 0.0)
    answer = post(client, {"image": image.tolist()}).get_json()
    if image.max() <= 0.05:
        assert answer["digit"] is None
    else:
        assert answer["digit"] == expected_digit(image)


# --- the page -------------------------------------------------------------------


def test_the_page_and_its_assets_are_served_and_need_no_network(client: Any) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    for element in ('id="board"', 'id="predict"', 'id="clear"', 'id="digit"', 'id="bars"'):
        assert element in html
    for asset in ("static/app.js", "static/style.css"):
        assert asset in html
        assert client.get("/" + asset).status_code == 200
    for path in STATIC.iterdir():
        assert "://" not in path.read_text(), f"{path.name} refers to another site"


# --- a real server --------------------------------------------------------------


def http_post(url: str, body: bytes) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url + "api/predict", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def http_predict(url: str, image: np.ndarray) -> dict[str, Any]:
    status, answer = http_post(url, json.dumps({"image": np.round(image, 4).tolist()}).encode())
    assert status == 200, answer
    return answer


@pytest.fixture(scope="module")
def server_url() -> Any:
    with serve_in_background(create_app(predict_fn=linear_predictor), threads=4) as url:
        yield url


def test_a_burst_of_concurrent_requests_is_answered_correctly(server_url: str) -> None:
    images = [stroke_image(40 + i % 50, 30 + (7 * i) % 60, seed=i) for i in range(50)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda image: http_predict(server_url, image), images))
    assert [a["digit"] for a in answers] == [expected_digit(image) for image in images]


def test_the_server_keeps_serving_after_bad_requests(server_url: str) -> None:
    for body in (b"{oops", b'{"image": "x"}', b'{"image": [[NaN]]}', b"[" * 50_000):
        status, answer = http_post(server_url, body)
        assert status == 400 and answer["error"]
    status, answer = http_post(
        server_url, b'{"image": [' + b" " * (MAX_CONTENT_LENGTH + 10) + b"]}"
    )
    assert status == 400 and "limit" in answer["error"]
    image = stroke_image(32, 32, seed=1)
    assert http_predict(server_url, image)["digit"] == expected_digit(image)


# --- accuracy of the pretrained LeNet-5, over HTTP ----------------------------------


def mnist_test_digits(count: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``count`` MNIST test images (floats in [0, 1]) and their labels."""
    images, labels = mnist_test_set()
    return images[:count].astype(np.float64) / 255.0, labels[:count].astype(int)


@pytest.fixture(scope="module")
def lenet_url() -> Any:
    if not WEIGHTS.is_file():
        pytest.skip(
            f"pretrained LeNet-5 weights not found at {WEIGHTS.relative_to(REPO)}; "
            "train them first (python -m train.mnist)"
        )
    with serve_in_background(create_app(), threads=4) as url:
        yield url


@pytest.mark.parametrize("side", [28, 200])
def test_pretrained_lenet_reads_mnist_digits_sent_over_http(lenet_url: str, side: int) -> None:
    images, labels = mnist_test_digits(200)
    nearest = np.arange(side) * 28 // side  # nearest-neighbour upscaling, independent of demo code
    predicted = [
        http_predict(lenet_url, image[np.ix_(nearest, nearest)])["digit"] for image in images
    ]
    accuracy = float(np.mean(np.array(predicted) == labels))
    print(f"LeNet-5 over HTTP, {side}x{side}: {accuracy:.1%} of 200 MNIST test digits")
    assert accuracy >= 0.98


def test_pretrained_lenet_answers_concurrent_requests_like_sequential_ones(lenet_url: str) -> None:
    images, _ = mnist_test_digits(50)
    sequential = [http_predict(lenet_url, image)["probabilities"] for image in images]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(lambda image: http_predict(lenet_url, image), images))
    np.testing.assert_allclose(
        [a["probabilities"] for a in concurrent], sequential, rtol=1e-5, atol=1e-7
    )


# --- the command line -----------------------------------------------------------


def test_python_m_demo_serves_or_explains_what_is_missing() -> None:
    command = [sys.executable, "-m", "demo", "--host", "127.0.0.1", "--port", "0", "--threads", "2"]
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        if not WEIGHTS.is_file():
            _, err = process.communicate(timeout=60)
            assert process.returncode == 2 and err.startswith("error: ")
            assert "lenet5_mnist.npz" in err
            return
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 60)
        assert ready, "python -m demo printed nothing within 60 s"
        line = process.stdout.readline()  # "demo: LeNet-5 loaded; open http://127.0.0.1:PORT/ ..."
        url = line.split("open ", 1)[1].split()[0]
        with urllib.request.urlopen(url + "api/health", timeout=10) as response:
            assert json.load(response) == {"status": "ok"}
        with urllib.request.urlopen(url, timeout=10) as response:
            assert b'id="board"' in response.read()
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


# --- hardening (issue 18): security headers, weights checked at start-up ---------


def test_every_response_carries_the_security_headers(client: Any) -> None:
    from demo.app import SECURITY_HEADERS

    responses = [
        client.get("/"),
        client.get("/static/app.js"),
        client.get("/api/health"),
        client.post("/api/predict", data="{oops"),
        client.get("/no/such/page"),
    ]
    for response in responses:
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (response.request.path, name)
    csp = SECURITY_HEADERS["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert SECURITY_HEADERS["X-Content-Type-Options"] == "nosniff"


def _broken_weights(tmp_path: Path) -> dict[str, Path]:
    import minigrad
    import models

    state = {k: np.asarray(v) for k, v in models.lenet5().state_dict().items()}
    paths = {"nan": tmp_path / "nan.npz", "truncated": tmp_path / "truncated.npz"}
    first = next(iter(state))
    minigrad.save({**state, first: np.full_like(state[first], np.nan)}, paths["nan"])
    minigrad.save(state, tmp_path / "good.npz")
    paths["truncated"].write_bytes((tmp_path / "good.npz").read_bytes()[:5000])
    paths["good"] = tmp_path / "good.npz"
    return paths


def test_the_demo_refuses_broken_weights_at_start_up(tmp_path: Path) -> None:
    from demo.app import lenet_predictor

    paths = _broken_weights(tmp_path)
    with pytest.raises(ValueError, match="NaN or infinite"):
        lenet_predictor(paths["nan"])
    with pytest.raises(ValueError, match="truncated or corrupt"):
        lenet_predictor(paths["truncated"])
    lenet_predictor(paths["good"])  # random weights, but finite: they answer probabilities
    # NaN weights accepted on request are still caught by the start-up check.
    with pytest.raises(ValueError, match="non-finite probabilities"):
        lenet_predictor(paths["nan"], allow_nonfinite=True)


@pytest.mark.parametrize("kind", ["nan", "truncated"])
def test_python_m_demo_with_broken_weights_says_so_and_exits_2(tmp_path: Path, kind: str) -> None:
    path = _broken_weights(tmp_path)[kind]
    command = [sys.executable, "-m", "demo", "--port", "0", "--weights", str(path)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done
    assert done.stderr.startswith("error: ") and str(path) in done.stderr
    assert "Traceback" not in done.stderr
