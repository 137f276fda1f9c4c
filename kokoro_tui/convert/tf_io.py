"""The interface of our TensorFlow export: a SavedModel folder with the host's weights beside it.

Shared by the exporter (``tf_export``, torch side) and the runner (``backends/tf_runtime``), which
runs without torch. The folder holds:

- the SavedModel (``saved_model.pb``, ``variables/``) with two signatures, lengths dynamic, the
  stages of ``convert/bucket_graph.py`` (what the LiteRT export holds per bucket):
  - ``text``: ``input_ids`` int32 [1,T], ``length`` int32 [1] → ``d_en`` [1,T,H], ``convolved`` [1,H,T];
  - ``acoustic``: ``prosody`` [1,H,F], ``asr`` [1,H,F], ``frames`` int32 [1], ``style`` [1,256]
    → ``audio`` [1, 600·F], ``f0`` and ``energy`` [2F], the decoder's ``features`` [C,2F];
- ``host.npz`` and ``export.json`` (``litert_io.HOST_FILE``, ``DESCRIPTION_FILE``): the host's LSTM
  weights and what the folder is (``EXPORT_FORMAT``).
"""

from __future__ import annotations

from kokoro_tui.model.config import STAGES

EXPORT_FORMAT = "kokoro-tui tf 1"
TEXT_OUTPUTS = ("d_en", "convolved")
ACOUSTIC_OUTPUTS = ("audio", *STAGES)


def import_tensorflow(hint: str):  # noqa: ANN201 - the tensorflow module (an optional dependency)
    """TensorFlow, imported without its start-up notices and retracing warnings (they are not the user's);
    a KokoroError with ``hint`` where it is not installed."""
    import logging
    import os

    from kokoro_tui.errors import KokoroError

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # read by TensorFlow's C++ core when it loads
    try:
        import tensorflow
    except ImportError:
        raise KokoroError("this needs TensorFlow 2.15, which is not installed here", hint=hint) from None
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    return tensorflow
