"""Our TensorFlow export (``kokoro convert export --to tf``) run by TensorFlow, without torch.

The SavedModel's two stages take any length, so ``StagedKokoro`` feeds each chunk unpadded; the
LSTMs run on the host in numpy, as for the LiteRT export.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kokoro_tui.backends.litert_host import HostKokoro
from kokoro_tui.backends.staged_runner import StagedKokoro, read_description
from kokoro_tui.convert.litert_io import ACOUSTIC, ACOUSTIC_INPUTS, HOST_FILE, TEXT, TEXT_INPUTS
from kokoro_tui.convert.tf_io import ACOUSTIC_OUTPUTS, EXPORT_FORMAT, TEXT_OUTPUTS, import_tensorflow


class TFKokoro(StagedKokoro):
    """Phoneme ids + 256-d style + speed → (audio, durations), from a TensorFlow export folder."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.tf = import_tensorflow("bash scripts/setup_tf_converter.sh makes .venv-tf, which has it")
        description = read_description(self.folder, EXPORT_FORMAT, "TensorFlow", "tf")
        with np.load(self.folder / HOST_FILE) as weights:
            super().__init__(HostKokoro(dict(weights), int(description["style_dim"])))
        self.saved = self.tf.saved_model.load(str(self.folder))
        self.text, self.acoustic = self.saved.signatures[TEXT], self.saved.signatures[ACOUSTIC]

    def run_text(self, ids: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        outputs = self.text(**{name: self.tf.constant(v) for name, v in zip(TEXT_INPUTS, (ids, length))})
        d_en, convolved = (outputs[name].numpy() for name in TEXT_OUTPUTS)
        return d_en, convolved

    def run_acoustic(self, prosody: np.ndarray, asr: np.ndarray, frames: np.ndarray,
                     style: np.ndarray) -> list[np.ndarray]:  # fmt: skip
        inputs = dict(zip(ACOUSTIC_INPUTS, (prosody, asr, frames, style)))
        outputs = self.acoustic(**{name: self.tf.constant(value) for name, value in inputs.items()})
        return [outputs[name].numpy() for name in ACOUSTIC_OUTPUTS]
