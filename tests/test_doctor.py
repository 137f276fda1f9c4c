"""`kokoro doctor` as a library: a sound home has no findings; each kind of damage is found and named with its fix."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from kokoro_tui.assets import checks
from kokoro_tui.assets.health import ERROR, WARNING, check_home
from kokoro_tui.assets.manifest import CONFIG_NAME, ONNX_NAME, PTH_NAME, SAFETENSORS_NAME, model_dir
from kokoro_tui.home import DataHome
from kokoro_tui.voices.store import VoiceStore

ONNX_STAND_IN = b"int8 onnx stand-in " * 1000


@pytest.fixture
def sound_home(tmp_home: DataHome, monkeypatch: pytest.MonkeyPatch, voice_bytes: Callable[[int], bytes]) -> DataHome:
    """A sound home at toy size: the tiny config, weights that fit it, a stand-in ONNX whose size and digest
    the checks are given, a .pth, two stock voices and a blended one."""
    import torch
    from safetensors.numpy import save_file

    from kokoro_tui.convert.model_layout import expected_parameters
    from kokoro_tui.model.config import KokoroConfig

    folder = model_dir(tmp_home)
    folder.mkdir(parents=True)
    config = KokoroConfig.tiny()
    config.to_json(folder / CONFIG_NAME)
    weights = {key: np.zeros(shape, np.float32) for key, shape in expected_parameters(config).items()}
    save_file(weights, str(folder / SAFETENSORS_NAME))
    (folder / ONNX_NAME).write_bytes(ONNX_STAND_IN)
    monkeypatch.setattr(checks, "ONNX_BYTES", len(ONNX_STAND_IN))
    monkeypatch.setattr(checks, "ONNX_SHA256", hashlib.sha256(ONNX_STAND_IN).hexdigest())
    torch.save({"decoder": {"module.weight": torch.zeros(4)}}, folder / PTH_NAME)
    store = VoiceStore(tmp_home)
    names = ["af_heart", "am_adam"]
    packs = {name: np.frombuffer(voice_bytes(seed), "<f4").reshape(510, 256) for seed, name in enumerate(names)}
    for name, pack in packs.items():
        store.save(name, pack, "stock", {"source": "npm:kokoro-js@1.2.1"}, fmt="bin")
    recipe = {"blend": [{"voice": "af_heart", "weight": 0.7}, {"voice": "am_adam", "weight": 0.3}]}
    store.save("mix", 0.7 * packs["af_heart"] + 0.3 * packs["am_adam"], "blended", recipe)
    return tmp_home


def voice_path(home: DataHome, name: str) -> Path:
    return VoiceStore(home).info(name).path


def nan_in_af_heart(home: DataHome) -> Path:
    path = voice_path(home, "af_heart")
    values = np.fromfile(path, "<f4")
    values[:10] = np.nan
    values.tofile(path)
    return path


def truncate(path: Path, size: int) -> Path:
    with open(path, "r+b") as handle:
        handle.truncate(size)
    return path


def garble(path: Path) -> Path:
    path.write_bytes(os.urandom(4096))
    return path


def drop_a_tensor(home: DataHome) -> Path:
    from safetensors.numpy import load_file, save_file

    path = model_dir(home) / SAFETENSORS_NAME
    tensors = load_file(str(path))
    del tensors["decoder.generator.conv_post.bias"]
    save_file(tensors, str(path))
    return path


def flip_a_byte(path: Path) -> Path:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def flip_a_stored_value(path: Path) -> Path:
    """Damage a tensor's bytes inside the checkpoint zip, leaving its structure whole: only the CRC can tell."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        (member,) = [info for info in archive.infolist() if info.filename.endswith("/data/0")]
    data = bytearray(path.read_bytes())
    start = member.header_offset  # a local file header: 30 bytes, then the name and the extra field
    name_length, extra_length = (int.from_bytes(data[start + at : start + at + 2], "little") for at in (26, 28))
    data[start + 30 + name_length + extra_length] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def stale_temp(home: DataHome) -> Path:
    """What atomic_path leaves behind when its writer is SIGKILLed: the PID is of no running process."""
    path = home.voices / ".af_heart.bin.kokoro-999999999-x1y2z3.part"
    path.write_bytes(b"half a voice")
    return path


def model_file(name: str) -> Callable[[DataHome], Path]:
    return lambda home: model_dir(home) / name


BAD_WEIGHT_SIDECAR = '{"origin": "blended", "recipe": {"blend": [{"voice": "af_heart", "weight": WEIGHT}]}}'
DAMAGE = {
    "nan voice": (
        nan_in_af_heart,
        "voice has 10 non-finite values",
        "`kokoro download --force --no-model --voices af_heart`",
    ),
    "truncated voice": (
        lambda home: truncate(voice_path(home, "am_adam"), 1000),
        "raw voice has 1,000 bytes, expected 522,240",
        "`kokoro download --force --no-model --voices am_adam`",
    ),
    "garbled blended voice": (
        lambda home: garble(voice_path(home, "mix")),
        "not a readable voice file (.npy)",
        "`kokoro voices blend af_heart:0.7,am_adam:0.3 --name mix --force` makes it again",
    ),
    "unreadable sidecar": (
        lambda home: write(home.voices / "am_adam.json", "{half a sidecar"),
        "unreadable voice sidecar",
        "--voices am_adam",
    ),
    "sidecar weight not a number": (
        lambda home: write(home.voices / "mix.json", BAD_WEIGHT_SIDECAR.replace("WEIGHT", '"x"')),
        'unreadable voice sidecar (the blend weight "x" of af_heart is not a finite number)',
        "`kokoro voices import FILE --name mix --force`",
    ),
    "sidecar weight null": (
        lambda home: write(home.voices / "mix.json", BAD_WEIGHT_SIDECAR.replace("WEIGHT", "null")),
        "the blend weight null of af_heart is not a finite number",
        "--name mix --force",
    ),
    "truncated safetensors": (
        lambda home: truncate(model_dir(home) / SAFETENSORS_NAME, 100_000),
        "truncated or not a safetensors file",
        "`kokoro convert onnx-to-torch --force` rebuilds it from the ONNX",
    ),
    "garbled safetensors": (
        lambda home: garble(model_dir(home) / SAFETENSORS_NAME),
        "truncated or not a safetensors file",
        "`kokoro convert onnx-to-torch --force`",
    ),
    "safetensors missing a tensor": (
        drop_a_tensor,
        "1 missing: decoder.generator.conv_post.bias",
        "`kokoro convert onnx-to-torch --force`",
    ),
    "config not json": (
        lambda home: write(model_dir(home) / CONFIG_NAME, "{not json"),
        "not readable JSON",
        "`kokoro download --force --voices none` fetches it again",
    ),
    "config not a model": (
        lambda home: write(model_dir(home) / CONFIG_NAME, json.dumps({"hidden_dim": 7})),
        "hidden_dim must be even",
        "`kokoro download --force --voices none`",
    ),
    "config field of the wrong type": (
        lambda home: write(model_dir(home) / CONFIG_NAME, json.dumps({"n_token": "x"})),
        "not a valid model config",
        "`kokoro download --force --voices none` fetches it again",
    ),
    "config section of the wrong type": (
        lambda home: write(model_dir(home) / CONFIG_NAME, json.dumps({"istftnet": 5})),
        "not a valid model config",
        "`kokoro download --force --voices none`",
    ),
    "onnx wrong checksum": (
        lambda home: flip_a_byte(model_dir(home) / ONNX_NAME),
        "SHA-256 is not the published export's",
        "`kokoro download --force --source registry --voices none` fetches it again",
    ),
    "onnx truncated": (
        lambda home: truncate(model_dir(home) / ONNX_NAME, 5),
        f"5 bytes, expected {len(ONNX_STAND_IN):,}",
        "--source registry",
    ),
    "pth truncated": (
        lambda home: truncate(model_dir(home) / PTH_NAME, 300),
        "truncated or not a PyTorch checkpoint",
        "`kokoro download --force --source hf --voices none`",
    ),
    "pth value changed": (
        lambda home: flip_a_stored_value(model_dir(home) / PTH_NAME),
        "fails its CRC check",
        "--source hf",
    ),
}


def test_a_sound_home_has_no_findings(sound_home):
    assert check_home(sound_home) == []


@pytest.mark.parametrize("damage, problem, fix", DAMAGE.values(), ids=DAMAGE.keys())
def test_each_damage_is_found_with_its_fix(sound_home, damage, problem, fix):
    path = damage(sound_home)
    (finding,) = check_home(sound_home)
    assert (finding.severity, finding.path) == (ERROR, path)
    assert problem in finding.problem and fix in finding.fix
    assert str(path) not in finding.problem  # the path is said once, by the finding
    assert "\n" not in finding.line() and finding.line() == f"error: {path}: {finding.problem}; fix: {finding.fix}"


def test_safetensors_fix_fetches_a_damaged_onnx_first(sound_home):
    flip_a_byte(model_dir(sound_home) / ONNX_NAME)
    truncate(model_dir(sound_home) / SAFETENSORS_NAME, 100_000)
    onnx, weights = check_home(sound_home)
    assert onnx.path.name == ONNX_NAME and weights.path.name == SAFETENSORS_NAME
    assert weights.fix == (
        "`kokoro download --force --source registry --voices none`, then `kokoro convert onnx-to-torch --force` rebuilds it"
    )


def test_a_damaged_config_does_not_condemn_the_weights(sound_home):
    """The config says what the layout should be; unreadable, it cannot make sound weights look wrong."""
    write(model_dir(sound_home) / CONFIG_NAME, "{not json")
    assert [finding.path.name for finding in check_home(sound_home)] == [CONFIG_NAME]


def test_a_stale_temp_file_is_a_warning_naming_rm(sound_home):
    path = stale_temp(sound_home)
    (finding,) = check_home(sound_home)
    assert (finding.severity, finding.path, finding.fix) == (WARNING, path, f"`rm {path}` removes it")


def test_a_temp_file_being_written_is_left_alone(sound_home):
    (sound_home.voices / f".af_heart.bin.kokoro-{os.getpid()}-x1y2z3.part").write_bytes(b"in progress")
    assert check_home(sound_home) == []


def test_a_stale_temp_folder_is_a_warning_naming_rm_r(sound_home):
    """An export killed mid-way leaves its temp folder (hundreds of MB) in the model folder."""
    folder = model_dir(sound_home) / ".kokoro-litert-none.kokoro-999999999-x1y2z3.part"
    (folder / "graph").mkdir(parents=True)
    (folder / "graph" / ".weights.kokoro-999999999-abc.part").write_bytes(b"half")
    (sound_home.voices / ".not-ours.part").mkdir()  # a folder we did not make is not ours to remove
    (finding,) = check_home(sound_home)
    assert (finding.severity, finding.path) == (WARNING, folder)
    assert finding.problem == "temp folder of an interrupted write" and finding.fix == f"`rm -r {folder}` removes it"


@pytest.mark.parametrize("where", ["root", "models", "model folder", "voices"])
def test_a_file_where_a_folder_belongs_names_the_way_out(sound_home, where):
    """`kokoro download`, the fix of a missing folder, fails on a file in its place: the finding says to move it."""
    path = {
        "root": sound_home.root,
        "models": sound_home.models,
        "model folder": model_dir(sound_home),
        "voices": sound_home.voices,
    }[where]
    path.rename(path.with_name(path.name + ".was"))
    path.write_text("not a folder")
    (finding,) = check_home(sound_home)
    assert (finding.severity, finding.path, finding.problem) == (ERROR, path, "not a folder")
    assert finding.fix == f"`mv {path} {path}.old` moves it aside, then `kokoro download` fetches what belongs there"


def test_an_empty_home_names_the_download(tmp_home):
    (finding,) = check_home(tmp_home)
    assert (finding.path, finding.problem) == (tmp_home.root, "no data home yet") and "`kokoro download`" in finding.fix
    tmp_home.ensure(tmp_home.root)
    assert [(f.path, f.problem) for f in check_home(tmp_home)] == [
        (model_dir(tmp_home), "no model"),
        (tmp_home.voices, "no voices"),
    ]


def test_findings_serialise(sound_home):
    path = nan_in_af_heart(sound_home)
    (finding,) = check_home(sound_home)
    assert json.loads(json.dumps(finding.as_dict())) == {
        "severity": "error",
        "path": str(path),
        "problem": "voice has 10 non-finite values (NaN or infinity)",
        "fix": "`kokoro download --force --no-model --voices af_heart` fetches it again",
    }


def test_a_blend_recipe_with_a_weight_that_is_no_number_still_gets_a_fix():
    from kokoro_tui.assets.fixes import repair_voice

    recipe = {"blend": [{"voice": "af_heart", "weight": "x"}]}
    assert repair_voice("mix", "blended", recipe) == "import it again with `kokoro voices import FILE --name mix --force`"
