"""Voice files: every format round-trips exactly; bad shapes, values and files give one-line errors."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import numpy as np
import pytest
from numpy.lib import format as npy_format

from kokoro_tui.errors import KokoroError
from kokoro_tui.voices.formats import BIN_BYTES, FORMATS, format_of, read_voice_file, write_voice_file
from kokoro_tui.voices.pack import PACK_SHAPE, as_pack


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_round_trips_bit_exactly(tmp_path, tiny_voice, fmt):
    path = write_voice_file(tmp_path / f"voice.{fmt}", tiny_voice)
    loaded = read_voice_file(path)
    assert loaded.dtype == np.float32 and loaded.shape == PACK_SHAPE
    np.testing.assert_array_equal(loaded, tiny_voice)
    assert [p.name for p in tmp_path.iterdir()] == [f"voice.{fmt}"], "no temp files may stay behind"


def test_bin_is_raw_little_endian_float32_like_kokoro_js(tmp_path, tiny_voice):
    path = write_voice_file(tmp_path / "v.bin", tiny_voice)
    assert path.stat().st_size == BIN_BYTES == 522_240
    np.testing.assert_array_equal(np.fromfile(path, dtype="<f4"), tiny_voice.ravel())


def test_pt_holds_a_plain_tensor_like_hexgrad(tmp_path, tiny_voice):
    import torch

    write_voice_file(tmp_path / "v.pt", tiny_voice)
    tensor = torch.load(tmp_path / "v.pt", weights_only=True)
    assert isinstance(tensor, torch.Tensor) and tuple(tensor.shape) == PACK_SHAPE


def test_flat_510x256_is_accepted_and_reshaped(tmp_path, tiny_voice):
    np.save(tmp_path / "flat.npy", tiny_voice.reshape(510, 256).astype(np.float64))
    loaded = read_voice_file(tmp_path / "flat.npy")
    assert loaded.shape == PACK_SHAPE and loaded.dtype == np.float32
    np.testing.assert_allclose(loaded, tiny_voice)


@pytest.mark.parametrize("shape", [(510, 2, 256), (509, 1, 256), (510, 128), (256,)])
def test_wrong_shape_is_refused_naming_the_shape(tmp_path, shape):
    np.save(tmp_path / "bad.npy", np.zeros(shape, np.float32))
    with pytest.raises(KokoroError, match=r"shape \[" + ", ".join(map(str, shape))):
        read_voice_file(tmp_path / "bad.npy")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values_are_refused(tmp_path, tiny_voice, bad):
    pack = tiny_voice.copy()
    pack[3, 0, 7] = bad
    np.save(tmp_path / "nan.npy", pack)
    with pytest.raises(KokoroError, match="1 non-finite"):
        read_voice_file(tmp_path / "nan.npy")


def test_integer_data_is_refused():
    with pytest.raises(KokoroError, match="floating point"):
        as_pack(np.zeros(PACK_SHAPE, np.int32), "ints")


def test_bin_of_wrong_size_is_refused(tmp_path):
    (tmp_path / "short.bin").write_bytes(b"\0" * 1000)
    with pytest.raises(KokoroError, match="1,000 bytes, expected 522,240"):
        read_voice_file(tmp_path / "short.bin")


@pytest.mark.parametrize("fmt", ["pt", "npy", "npz", "safetensors"])
def test_corrupt_file_is_one_line_error(tmp_path, fmt):
    path = tmp_path / f"junk.{fmt}"
    path.write_bytes(b"this is not a voice file at all")
    with pytest.raises(KokoroError, match=rf"junk\.{fmt} is not a readable voice file \(\.{fmt}\): ") as caught:
        read_voice_file(path)
    assert "\n" not in str(caught.value) and len(str(caught.value).replace(str(tmp_path), "")) < 120


@pytest.mark.parametrize("fmt", ["pt", "npz", "safetensors"])
def test_truncated_file_says_so(tmp_path, tiny_voice, fmt):
    whole = write_voice_file(tmp_path / f"whole.{fmt}", tiny_voice).read_bytes()
    (tmp_path / f"cut.{fmt}").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(KokoroError, match=r"is not a readable voice file \(\.\w+\): the file is truncated or damaged$"):
        read_voice_file(tmp_path / f"cut.{fmt}")


def test_pickled_objects_are_refused_in_plain_words(tmp_path):
    np.savez(tmp_path / "objects.npz", voice=np.array([{"a": 1}], dtype=object))
    with pytest.raises(KokoroError, match=r"objects\.npz is not a readable voice file \(\.npz\): it holds pickled "
                                          r"Python objects, which are not loaded because that could run code$"):
        read_voice_file(tmp_path / "objects.npz")


def test_pt_without_a_tensor(tmp_path):
    import torch

    torch.save({"voice": 3}, tmp_path / "int.pt")
    torch.save([1, 2], tmp_path / "list.pt")
    with pytest.raises(KokoroError, match=r"int\.pt is not a voice file: it holds a dict whose value is an int, expected a tensor"):
        read_voice_file(tmp_path / "int.pt")
    with pytest.raises(KokoroError, match=r"list\.pt is not a voice file: it holds a list, expected a tensor"):
        read_voice_file(tmp_path / "list.pt")


def test_unknown_suffix_and_missing_file(tmp_path):
    with pytest.raises(KokoroError, match="unknown voice format '.wav'"):
        format_of(tmp_path / "voice.wav")
    with pytest.raises(KokoroError, match=r"noext has no extension: add one of \.bin, \.pt, .* \(or pass --format\)$"):
        format_of("noext", hint="or pass --format")
    with pytest.raises(KokoroError, match="no such voice file"):
        read_voice_file(tmp_path / "absent.npy")


def test_container_with_several_arrays_needs_one_named_voice(tmp_path, tiny_voice):
    np.savez(tmp_path / "two.npz", a=tiny_voice, b=tiny_voice)
    with pytest.raises(KokoroError, match="holds 2 arrays"):
        read_voice_file(tmp_path / "two.npz")
    np.savez(tmp_path / "named.npz", voice=tiny_voice, other=np.zeros(3))
    np.testing.assert_array_equal(read_voice_file(tmp_path / "named.npz"), tiny_voice)


def test_failed_write_keeps_the_previous_file(tmp_path, tiny_voice):
    path = write_voice_file(tmp_path / "keep.npy", tiny_voice)
    broken = tiny_voice.copy()
    broken[0, 0, 0] = np.nan
    with pytest.raises(KokoroError):
        write_voice_file(path, broken)
    np.testing.assert_array_equal(read_voice_file(path), tiny_voice)


def npy_header(shape: tuple[int, ...], descr: str) -> bytes:
    """An .npy header declaring ``shape`` and nothing after it: a crafted file of a few bytes."""
    buffer = io.BytesIO()
    npy_format.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def peak_allocation(read) -> int:
    """The most memory ``read()`` held at once, in bytes (NumPy reports its buffers to tracemalloc)."""
    tracemalloc.start()
    try:
        read()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


HUGE_HEADERS = [
    ((1 << 30,), "<f4", r"shape \[1073741824\], expected \[510, 1, 256\] \(or \[510, 256\]\)"),  # 4 GiB
    ((1 << 40, 1 << 40, 1 << 40), "<f8", r"shape \[1099511627776, "),  # more than memory can address
    ((510, 256), "|V1000000", r"voice values must be floating point, got \|V1000000"),  # 130 GB in 130k items
]


@pytest.mark.parametrize(("shape", "descr", "message"), HUGE_HEADERS)
def test_a_huge_declared_npy_is_refused_before_reading(tmp_path, shape, descr, message):
    path = tmp_path / "huge.npy"
    path.write_bytes(npy_header(shape, descr))

    def read() -> None:
        with pytest.raises(KokoroError, match=message):
            read_voice_file(path)

    assert peak_allocation(read) < 1 << 20


@pytest.mark.parametrize(("shape", "descr", "message"), HUGE_HEADERS)
def test_a_huge_declared_npz_member_is_refused_before_reading(tmp_path, shape, descr, message):
    path = tmp_path / "huge.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("voice.npy", npy_header(shape, descr))

    def read() -> None:
        with pytest.raises(KokoroError, match=message):
            read_voice_file(path)

    assert peak_allocation(read) < 1 << 20


def test_a_big_safetensors_of_the_wrong_shape_is_refused_before_reading(tmp_path):
    from safetensors.numpy import save_file

    path = tmp_path / "big.safetensors"
    save_file({"voice": np.zeros((4096, 1024), np.float32)}, str(path))  # 16 MiB

    def read() -> None:
        with pytest.raises(KokoroError, match=r"shape \[4096, 1024\]"):
            read_voice_file(path)

    assert peak_allocation(read) < 1 << 20


def test_only_the_chosen_array_of_a_container_is_read(tmp_path, tiny_voice):
    """An .npz's other arrays are neither read nor judged: only 'voice' is the pack."""
    with zipfile.ZipFile(tmp_path / "extra.npz", "w") as archive:
        buffer = io.BytesIO()
        np.save(buffer, tiny_voice)
        archive.writestr("voice.npy", buffer.getvalue())
        archive.writestr("notes.npy", npy_header((1 << 30,), "<f4"))
    np.testing.assert_array_equal(read_voice_file(tmp_path / "extra.npz"), tiny_voice)
