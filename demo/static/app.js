// minigrad digit demo: draw on a canvas (mouse, pen or touch via pointer events),
// send the ink to POST /api/predict, show the digit and the ten probabilities.
"use strict";

(() => {
  const MAX_SIDE = 512;          // the API's largest image side
  const MIN_SIDE = 8;            // ... and smallest
  const BRUSH = 0.08;            // brush width as a fraction of the canvas side
  const LIVE_DELAY_MS = 200;     // debounce of live predictions while drawing
  const MARGIN = 4;              // pixels kept around the ink when cropping

  const board = document.getElementById("board");
  const ctx = board.getContext("2d", { willReadFrequently: true });
  const hint = document.getElementById("hint");
  const result = document.getElementById("result");
  const digitOut = document.getElementById("digit");
  const confidence = document.getElementById("confidence");
  const seen = document.getElementById("seen");
  const seenCtx = seen.getContext("2d");
  const barsBox = document.getElementById("bars");
  const statusLine = document.getElementById("status");
  const liveBox = document.getElementById("live");

  // ---- bar chart -------------------------------------------------------
  const bars = [];
  for (let d = 0; d < 10; d++) {
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.innerHTML =
      '<span class="pct"></span><span class="track"><span class="fill"></span></span>' +
      `<span class="label">${d}</span>`;
    barsBox.appendChild(bar);
    bars.push({ bar, pct: bar.querySelector(".pct"), fill: bar.querySelector(".fill") });
  }

  // ---- canvas sizing: sharp on high-DPI screens, never above the API's limit ----
  function setupBrush() {
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = ctx.fillStyle = getComputedStyle(document.documentElement)
      .getPropertyValue("--ink").trim() || "#141a24";
    ctx.lineWidth = Math.max(2, board.width * BRUSH);
  }

  function fitCanvas() {
    const cssSize = board.getBoundingClientRect().width;
    const wanted = Math.round(cssSize * (window.devicePixelRatio || 1));
    const size = Math.max(64, Math.min(MAX_SIDE, wanted || 280));
    if (size !== board.width) {
      drawing = null;  // a stroke in progress ends when the canvas is resized
      const copy = document.createElement("canvas");
      copy.width = board.width;
      copy.height = board.height;
      copy.getContext("2d").drawImage(board, 0, 0);
      board.width = board.height = size;
      ctx.drawImage(copy, 0, 0, size, size);
    }
    setupBrush();
  }

  // ---- drawing: each stroke is redrawn whole as it grows, so its edges stay smooth ----
  let drawing = null;  // {id, points, base} of the pointer that draws
  let hasInk = false;

  function point(event) {
    const rect = board.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) * board.width) / rect.width,
      y: ((event.clientY - rect.top) * board.height) / rect.height,
    };
  }

  function strokePath(points) {
    const first = points[0];
    const last = points[points.length - 1];
    ctx.beginPath();
    if (points.length === 1) {
      ctx.arc(first.x, first.y, ctx.lineWidth / 2, 0, 2 * Math.PI);
      ctx.fill();
      return;
    }
    ctx.moveTo(first.x, first.y);
    for (let i = 1; i < points.length - 1; i++) {  // quadratic curves through midpoints
      const mid = { x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 };
      ctx.quadraticCurveTo(points[i].x, points[i].y, mid.x, mid.y);
    }
    ctx.lineTo(last.x, last.y);
    ctx.stroke();
  }

  board.addEventListener("pointerdown", (event) => {
    if (drawing || (event.pointerType === "mouse" && event.button !== 0)) return;
    event.preventDefault();
    board.setPointerCapture(event.pointerId);
    const base = ctx.getImageData(0, 0, board.width, board.height);
    drawing = { id: event.pointerId, points: [point(event)], base };
    strokePath(drawing.points);
    inked();
  });

  board.addEventListener("pointermove", (event) => {
    if (!drawing || event.pointerId !== drawing.id) return;
    event.preventDefault();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const e of events.length ? events : [event]) drawing.points.push(point(e));
    ctx.putImageData(drawing.base, 0, 0);
    strokePath(drawing.points);
    inked();
  });

  function endStroke(event) {
    if (!drawing || event.pointerId !== drawing.id) return;
    drawing = null;
    if (liveBox.checked) schedulePredict(0);
  }
  board.addEventListener("pointerup", endStroke);
  board.addEventListener("pointercancel", endStroke);

  function inked() {
    hasInk = true;
    hint.classList.add("hidden");
    if (liveBox.checked) schedulePredict(LIVE_DELAY_MS);
  }

  // ---- the image sent to the API: ink (alpha) in 0..1, cropped around the ink ----
  function inkImage() {
    const { width, height } = board;
    const alpha = ctx.getImageData(0, 0, width, height).data;
    let top = height, bottom = -1, left = width, right = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (alpha[(y * width + x) * 4 + 3] > 12) {
          if (y < top) top = y;
          if (y > bottom) bottom = y;
          if (x < left) left = x;
          if (x > right) right = x;
        }
      }
    }
    if (bottom < 0) return null;
    // Keep a margin and at least MIN_SIDE pixels per side; the server crops exactly anyway.
    const grow = (lo, hi, limit) => {
      lo = Math.max(0, lo - MARGIN);
      hi = Math.min(limit - 1, hi + MARGIN);
      while (hi - lo + 1 < MIN_SIDE) {
        if (lo > 0) lo--;
        if (hi < limit - 1) hi++;
      }
      return [lo, hi];
    };
    [top, bottom] = grow(top, bottom, height);
    [left, right] = grow(left, right, width);
    const rows = [];
    for (let y = top; y <= bottom; y++) {
      const row = new Array(right - left + 1);
      for (let x = left; x <= right; x++) {
        row[x - left] = Math.round((alpha[(y * width + x) * 4 + 3] * 100) / 255) / 100;
      }
      rows.push(row);
    }
    return rows;
  }

  // ---- predictions: one request in flight at a time, stale answers dropped ----
  let timer = null;
  let inFlight = false;
  let again = false;
  let generation = 0;  // bumped by Clear so that late answers are ignored

  function schedulePredict(delay) {
    clearTimeout(timer);
    timer = setTimeout(predict, delay);
  }

  async function predict() {
    clearTimeout(timer);
    if (inFlight) {
      again = true;
      return;
    }
    const image = hasInk ? inkImage() : null;
    if (!image) {
      showBlank("Nothing drawn yet: draw a digit first.");
      return;
    }
    const myGeneration = generation;
    inFlight = true;
    result.dataset.state = "pending";
    try {
      const response = await fetch("api/predict", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ image }),
      });
      const answer = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
      if (myGeneration !== generation) return;
      if (!response.ok) showError(answer.error || `HTTP ${response.status}`);
      else if (answer.digit === null) showBlank(answer.message);
      else showAnswer(answer);
    } catch (error) {
      if (myGeneration === generation) showError(`cannot reach the server (${error.message})`);
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        predict();
      }
    }
  }

  // ---- showing answers -----------------------------------------------------
  function setBars(probabilities, top) {
    bars.forEach(({ bar, pct, fill }, d) => {
      const p = probabilities ? probabilities[d] : 0;
      fill.style.height = `${(100 * p).toFixed(1)}%`;
      pct.textContent = probabilities && p >= 0.01 ? `${Math.round(100 * p)}%` : "";
      bar.classList.toggle("top", d === top);
      bar.title = probabilities ? `${d}: ${(100 * p).toFixed(2)}%` : `${d}`;
    });
  }

  function showSeen(pixels) {
    const image = seenCtx.createImageData(28, 28);
    for (let i = 0; i < 28 * 28; i++) {
      const v = pixels ? Math.round(255 * pixels[Math.floor(i / 28)][i % 28]) : 0;
      image.data.set([v, v, v, 255], i * 4);
    }
    seenCtx.putImageData(image, 0, 0);
  }

  function showAnswer(answer) {
    const p = answer.probabilities[answer.digit];
    result.dataset.state = "done";
    result.dataset.digit = String(answer.digit);
    digitOut.textContent = String(answer.digit);
    const percent = p > 0.999 ? ">99.9" : (100 * p).toFixed(1);
    confidence.innerHTML = `<strong>${percent}%</strong> sure it is a ${answer.digit}`;
    setBars(answer.probabilities, answer.digit);
    showSeen(answer.preprocessed);
    setStatus(answer.message || "");
  }

  function showBlank(message) {
    result.dataset.state = "blank";
    delete result.dataset.digit;
    digitOut.textContent = "?";
    confidence.textContent = "Draw a digit to start.";
    setBars(null, -1);
    showSeen(null);
    setStatus(message || "");
  }

  function showError(message) {
    result.dataset.state = "error";
    delete result.dataset.digit;
    setStatus(message, true);
  }

  function setStatus(message, isError = false) {
    statusLine.textContent = message;
    statusLine.classList.toggle("error", isError);
  }

  function clearBoard() {
    generation++;
    clearTimeout(timer);
    again = false;
    ctx.clearRect(0, 0, board.width, board.height);
    drawing = null;
    hasInk = false;
    hint.classList.remove("hidden");
    showBlank("");
    result.dataset.state = "idle";
  }

  document.getElementById("clear").addEventListener("click", clearBoard);
  document.getElementById("predict").addEventListener("click", () => predict());
  document.addEventListener("keydown", (event) => {
    if (event.target instanceof HTMLInputElement) return;
    if (event.key === "Escape" || event.key === "Delete") clearBoard();
  });
  window.addEventListener("resize", fitCanvas);

  fitCanvas();
  showBlank("");
  result.dataset.state = "idle";
})();
