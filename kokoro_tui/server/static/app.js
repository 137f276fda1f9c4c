// The page's player. One Play is one request to /dev/captioned_speech: each JSON line it streams is a
// chunk of speech (a WAV file in base64, with its words' times and character spans). Each chunk's audio
// is scheduled on the AudioContext right where the previous one ends, and the words are highlighted
// from the AudioContext's own clock, so text and sound stay together even when a chunk comes late.
"use strict";

const VOICES_URL = "v1/audio/voices"; // relative: the page may be served under a proxy's prefix
const SPEECH_URL = "dev/captioned_speech";
const LEAD_S = 0.05; // a buffer started at "now" would lose its first samples: start a little later

const $ = (id) => document.getElementById(id);
const ui = {
  text: $("text"), voice: $("voice"), blend: $("blend"), voice2: $("voice2"), weight: $("weight"),
  weightShown: $("weight-shown"), voiceSpec: $("voice-spec"), speed: $("speed"), speedShown: $("speed-shown"),
  key: $("key"), play: $("play"), stop: $("stop"), status: $("status"), clock: $("clock"), error: $("error"),
  reading: $("reading"),
};

let context = null; // the AudioContext, made on the first Play: browsers allow sound after a click
let playback = null; // the Playback of the last Play
let voicesLoaded = false;

// States, shown on <body data-state>: idle, loading (waiting for the first chunk), playing, done, stopped, error.
function setState(state, message) {
  document.body.dataset.state = state;
  ui.status.textContent = message;
  ui.play.disabled = !voicesLoaded;
  ui.stop.disabled = state !== "loading" && state !== "playing";
}

function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = !message;
}

function authHeaders() {
  const key = ui.key.value.trim();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

// The server's own words for a refusal: OpenAI's {"error": {"message": ...}} body.
async function refusal(response) {
  try {
    const body = await response.json();
    if (body.error && body.error.message) return new Error(body.error.message);
  } catch (ignored) {
    // not JSON (a proxy's error page): the status line says what there is to say
  }
  return new Error(`the server answered ${response.status} ${response.statusText}`);
}

function describe(error) {
  // fetch and stream reads fail with a TypeError when the connection does
  return error instanceof TypeError ? `lost the connection to the server (${error.message})` : error.message;
}

function fillVoices(select, voices, preferred) {
  const chosen = select.value || preferred; // a reload keeps the user's choice; a first load takes the server's default
  const groups = new Map();
  for (const voice of voices) {
    if (!groups.has(voice.language)) {
      const group = document.createElement("optgroup");
      group.label = voice.language;
      groups.set(voice.language, group);
    }
    groups.get(voice.language).append(new Option(`${voice.name} (${voice.gender})`, voice.name));
  }
  select.replaceChildren(...groups.values());
  if (voices.some((voice) => voice.name === chosen)) select.value = chosen;
}

async function loadVoices() {
  voicesLoaded = false;
  setState("idle", "Loading voices…");
  try {
    const response = await fetch(VOICES_URL, { headers: authHeaders() });
    if (!response.ok) throw await refusal(response);
    const { voices, default: preferred } = await response.json();
    if (!voices.length) throw new Error("the server has no voices");
    fillVoices(ui.voice, voices, preferred);
    fillVoices(ui.voice2, voices);
    if (ui.voice2.value === ui.voice.value && voices.length > 1) ui.voice2.value = voices[1].name;
    voicesLoaded = true;
    showError("");
    setState("idle", `${voices.length} voices`);
  } catch (error) {
    showError(`Cannot list the voices: ${describe(error)}`);
    setState("error", "No voices");
  }
  showVoice();
}

// Our blend syntax, 'af_heart:0.7,am_adam:0.3' (the server normalises the weights).
function voiceSpec() {
  const first = ui.voice.value;
  if (!ui.blend.checked || ui.voice2.value === first) return first;
  const weight = Number(ui.weight.value);
  return `${first}:${weight / 100},${ui.voice2.value}:${(100 - weight) / 100}`;
}

function showVoice() {
  ui.voice2.disabled = ui.weight.disabled = !ui.blend.checked;
  ui.weightShown.textContent = `${ui.weight.value} % / ${100 - Number(ui.weight.value)} %`;
  ui.voiceSpec.textContent = voiceSpec();
}

function showSpeed() {
  ui.speedShown.textContent = `${Number(ui.speed.value).toFixed(2)}×`;
}

// JSON lines as they arrive; a line may be split across reads.
async function* jsonLines(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let pending = "";
  for (;;) {
    const { value, done } = await reader.read();
    pending += done ? decoder.decode() : decoder.decode(value, { stream: true });
    const lines = pending.split("\n");
    pending = done ? "" : lines.pop();
    for (const line of lines) if (line.trim()) yield JSON.parse(line);
    if (done) return;
  }
}

// The UTF-16 index of each code point of text: the server counts characters as code points.
function codePointOffsets(text) {
  const offsets = [0];
  for (const character of text) offsets.push(offsets[offsets.length - 1] + character.length);
  return offsets;
}

class Playback {
  constructor(text) {
    this.text = text;
    this.offsets = codePointOffsets(text);
    this.laidOut = 0; // code points before this one are in the reading pane as text and word spans
    this.tail = document.createTextNode(text); // the rest, as one text node
    ui.reading.replaceChildren(this.tail);
    this.abort = new AbortController();
    this.scheduled = []; // {source, at, duration}: each chunk's buffer and when it plays (context seconds)
    this.words = []; // {span, at}: when each word starts (context seconds), in speaking order
    this.next = 0; // the index in words of the next word to highlight
    this.current = null; // the highlighted word's span
    this.endAt = 0; // when the audio scheduled so far ends
    this.received = false; // the whole stream has arrived
    this.stopped = false;
    this.frame = requestAnimationFrame(() => this.tick());
  }

  slice(start, end) {
    return this.text.slice(this.offsets[start], this.offsets[end]);
  }

  // The word at code points [start, end) as a span of its own; null when it does not follow the last one.
  wordSpan(start, end) {
    if (start < this.laidOut || end <= start || end >= this.offsets.length) return null;
    if (start > this.laidOut) this.tail.before(this.slice(this.laidOut, start));
    const span = document.createElement("span");
    span.className = "word";
    span.textContent = this.slice(start, end);
    this.tail.before(span);
    this.tail.data = this.slice(end, this.offsets.length - 1);
    this.laidOut = end;
    return span;
  }

  async add(chunk) {
    const bytes = Uint8Array.from(atob(chunk.audio), (character) => character.charCodeAt(0));
    const buffer = await context.decodeAudioData(bytes.buffer);
    if (this.stopped) return;
    const at = Math.max(this.endAt, context.currentTime + LEAD_S);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    source.start(at);
    this.scheduled.push({ source, at, duration: buffer.duration });
    this.endAt = at + buffer.duration;
    for (const stamp of chunk.timestamps) {
      const span = this.wordSpan(stamp.start_char, stamp.end_char);
      if (span) this.words.push({ span, at: at + stamp.start - chunk.start });
    }
    if (this.scheduled.length === 1) setState("playing", "Playing");
  }

  // Seconds of speech heard by context time t (gaps between late chunks not counted).
  played(t) {
    return this.scheduled.reduce((sum, { at, duration }) => sum + Math.min(Math.max(t - at, 0), duration), 0);
  }

  tick() {
    const t = context.currentTime;
    while (this.next < this.words.length && this.words[this.next].at <= t) {
      this.current?.classList.replace("current", "spoken");
      this.current = this.words[this.next++].span;
      this.current.classList.add("current");
    }
    ui.clock.textContent = this.scheduled.length ? `${this.played(t).toFixed(1)} s` : "";
    if (this.received && t >= this.endAt) {
      this.end("done", "Done");
      return;
    }
    this.frame = requestAnimationFrame(() => this.tick());
  }

  // Stop sound, request and highlighting, and say why in the status; once.
  end(state, message) {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    cancelAnimationFrame(this.frame);
    for (const { source } of this.scheduled) {
      source.stop();
      source.disconnect();
    }
    this.current?.classList.replace("current", "spoken");
    setState(state, message);
  }
}

async function play() {
  playback?.end("stopped", "Stopped");
  showError("");
  context ??= new AudioContext();
  await context.resume();
  const current = (playback = new Playback(ui.text.value));
  setState("loading", "Synthesising…");
  try {
    const response = await fetch(SPEECH_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...authHeaders() },
      body: JSON.stringify({
        input: ui.text.value, voice: voiceSpec(), speed: Number(ui.speed.value), response_format: "wav", stream: true,
      }),
      signal: current.abort.signal,
    });
    if (!response.ok) throw await refusal(response);
    for await (const chunk of jsonLines(response)) {
      await current.add(chunk);
      if (current.stopped) return;
    }
    current.received = true;
  } catch (error) {
    if (current.stopped) return; // Stop (or a new Play) cut the request off: nothing went wrong
    current.end("error", "Failed");
    showError(describe(error));
  }
}

ui.play.addEventListener("click", play);
ui.stop.addEventListener("click", () => playback?.end("stopped", "Stopped"));
for (const control of [ui.voice, ui.voice2, ui.blend, ui.weight]) control.addEventListener("input", showVoice);
ui.speed.addEventListener("input", showSpeed);
ui.key.addEventListener("change", loadVoices); // Enter or leaving the field
$("key-form").addEventListener("submit", (event) => event.preventDefault());
showSpeed();
loadVoices();
