"""Structure of the network: the official checkpoint's names, shapes and parameter count, and per-stage shapes."""

from __future__ import annotations

import json

import pytest
import torch

from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import DEFAULT_VOCAB, KokoroConfig
from kokoro_tui.model.kokoro import KokoroModel

# Every tensor of the official kokoro-v1_0.pth in model naming (``module.`` removed) and its
# shape, generated once from the project's reference list of the 548 checkpoint tensors.
OFFICIAL_TENSORS = """
bert.embeddings.word_embeddings.weight 178x128
bert.embeddings.position_embeddings.weight 512x128
bert.embeddings.token_type_embeddings.weight 2x128
bert.embeddings.LayerNorm.weight 128
bert.embeddings.LayerNorm.bias 128
bert.encoder.embedding_hidden_mapping_in.weight 768x128
bert.encoder.embedding_hidden_mapping_in.bias 768
bert.encoder.albert_layer_groups.0.albert_layers.0.full_layer_layer_norm.weight 768
bert.encoder.albert_layer_groups.0.albert_layers.0.full_layer_layer_norm.bias 768
bert.encoder.albert_layer_groups.0.albert_layers.0.attention.query.weight 768x768
bert.encoder.albert_layer_groups.0.albert_layers.0.attention.query.bias 768
bert.encoder.albert_layer_groups.0.albert_layers.0.attention.key.weight 768x768
bert.encoder.albert_layer_groups.0.albert_layers.0.attention.key.bias 768
bert.encoder.albert_layer_groups.0.albert_layers.0.attention.value.weight 768x768
bert.encoder.albert_layer_groups.0.albert_layers.0.attention.value.bias 768
bert.encoder.albert_layer_groups.0.albert_layers.0.attention.dense.weight 768x768
bert.encoder.albert_layer_groups.0.albert_layers.0.attention.dense.bias 768
bert.encoder.albert_layer_groups.0.albert_layers.0.attention.LayerNorm.weight 768
bert.encoder.albert_layer_groups.0.albert_layers.0.attention.LayerNorm.bias 768
bert.encoder.albert_layer_groups.0.albert_layers.0.ffn.weight 2048x768
bert.encoder.albert_layer_groups.0.albert_layers.0.ffn.bias 2048
bert.encoder.albert_layer_groups.0.albert_layers.0.ffn_output.weight 768x2048
bert.encoder.albert_layer_groups.0.albert_layers.0.ffn_output.bias 768
bert.pooler.weight 768x768
bert.pooler.bias 768
bert_encoder.weight 512x768
bert_encoder.bias 512
predictor.text_encoder.lstms.0.weight_ih_l0 1024x640
predictor.text_encoder.lstms.0.weight_hh_l0 1024x256
predictor.text_encoder.lstms.0.bias_ih_l0 1024
predictor.text_encoder.lstms.0.bias_hh_l0 1024
predictor.text_encoder.lstms.0.weight_ih_l0_reverse 1024x640
predictor.text_encoder.lstms.0.weight_hh_l0_reverse 1024x256
predictor.text_encoder.lstms.0.bias_ih_l0_reverse 1024
predictor.text_encoder.lstms.0.bias_hh_l0_reverse 1024
predictor.text_encoder.lstms.1.fc.weight 1024x128
predictor.text_encoder.lstms.1.fc.bias 1024
predictor.text_encoder.lstms.2.weight_ih_l0 1024x640
predictor.text_encoder.lstms.2.weight_hh_l0 1024x256
predictor.text_encoder.lstms.2.bias_ih_l0 1024
predictor.text_encoder.lstms.2.bias_hh_l0 1024
predictor.text_encoder.lstms.2.weight_ih_l0_reverse 1024x640
predictor.text_encoder.lstms.2.weight_hh_l0_reverse 1024x256
predictor.text_encoder.lstms.2.bias_ih_l0_reverse 1024
predictor.text_encoder.lstms.2.bias_hh_l0_reverse 1024
predictor.text_encoder.lstms.3.fc.weight 1024x128
predictor.text_encoder.lstms.3.fc.bias 1024
predictor.text_encoder.lstms.4.weight_ih_l0 1024x640
predictor.text_encoder.lstms.4.weight_hh_l0 1024x256
predictor.text_encoder.lstms.4.bias_ih_l0 1024
predictor.text_encoder.lstms.4.bias_hh_l0 1024
predictor.text_encoder.lstms.4.weight_ih_l0_reverse 1024x640
predictor.text_encoder.lstms.4.weight_hh_l0_reverse 1024x256
predictor.text_encoder.lstms.4.bias_ih_l0_reverse 1024
predictor.text_encoder.lstms.4.bias_hh_l0_reverse 1024
predictor.text_encoder.lstms.5.fc.weight 1024x128
predictor.text_encoder.lstms.5.fc.bias 1024
predictor.lstm.weight_ih_l0 1024x640
predictor.lstm.weight_hh_l0 1024x256
predictor.lstm.bias_ih_l0 1024
predictor.lstm.bias_hh_l0 1024
predictor.lstm.weight_ih_l0_reverse 1024x640
predictor.lstm.weight_hh_l0_reverse 1024x256
predictor.lstm.bias_ih_l0_reverse 1024
predictor.lstm.bias_hh_l0_reverse 1024
predictor.duration_proj.linear_layer.weight 50x512
predictor.duration_proj.linear_layer.bias 50
predictor.shared.weight_ih_l0 1024x640
predictor.shared.weight_hh_l0 1024x256
predictor.shared.bias_ih_l0 1024
predictor.shared.bias_hh_l0 1024
predictor.shared.weight_ih_l0_reverse 1024x640
predictor.shared.weight_hh_l0_reverse 1024x256
predictor.shared.bias_ih_l0_reverse 1024
predictor.shared.bias_hh_l0_reverse 1024
predictor.F0.0.conv1.weight_g 512x1x1
predictor.F0.0.conv1.weight_v 512x512x3
predictor.F0.0.conv1.bias 512
predictor.F0.0.conv2.weight_g 512x1x1
predictor.F0.0.conv2.weight_v 512x512x3
predictor.F0.0.conv2.bias 512
predictor.F0.0.norm1.fc.weight 1024x128
predictor.F0.0.norm1.fc.bias 1024
predictor.F0.0.norm2.fc.weight 1024x128
predictor.F0.0.norm2.fc.bias 1024
predictor.F0.1.conv1.weight_g 256x1x1
predictor.F0.1.conv1.weight_v 256x512x3
predictor.F0.1.conv1.bias 256
predictor.F0.1.conv2.weight_g 256x1x1
predictor.F0.1.conv2.weight_v 256x256x3
predictor.F0.1.conv2.bias 256
predictor.F0.1.norm1.fc.weight 1024x128
predictor.F0.1.norm1.fc.bias 1024
predictor.F0.1.norm2.fc.weight 512x128
predictor.F0.1.norm2.fc.bias 512
predictor.F0.1.conv1x1.weight_g 256x1x1
predictor.F0.1.conv1x1.weight_v 256x512x1
predictor.F0.1.pool.weight_g 512x1x1
predictor.F0.1.pool.weight_v 512x1x3
predictor.F0.1.pool.bias 512
predictor.F0.2.conv1.weight_g 256x1x1
predictor.F0.2.conv1.weight_v 256x256x3
predictor.F0.2.conv1.bias 256
predictor.F0.2.conv2.weight_g 256x1x1
predictor.F0.2.conv2.weight_v 256x256x3
predictor.F0.2.conv2.bias 256
predictor.F0.2.norm1.fc.weight 512x128
predictor.F0.2.norm1.fc.bias 512
predictor.F0.2.norm2.fc.weight 512x128
predictor.F0.2.norm2.fc.bias 512
predictor.N.0.conv1.weight_g 512x1x1
predictor.N.0.conv1.weight_v 512x512x3
predictor.N.0.conv1.bias 512
predictor.N.0.conv2.weight_g 512x1x1
predictor.N.0.conv2.weight_v 512x512x3
predictor.N.0.conv2.bias 512
predictor.N.0.norm1.fc.weight 1024x128
predictor.N.0.norm1.fc.bias 1024
predictor.N.0.norm2.fc.weight 1024x128
predictor.N.0.norm2.fc.bias 1024
predictor.N.1.conv1.weight_g 256x1x1
predictor.N.1.conv1.weight_v 256x512x3
predictor.N.1.conv1.bias 256
predictor.N.1.conv2.weight_g 256x1x1
predictor.N.1.conv2.weight_v 256x256x3
predictor.N.1.conv2.bias 256
predictor.N.1.norm1.fc.weight 1024x128
predictor.N.1.norm1.fc.bias 1024
predictor.N.1.norm2.fc.weight 512x128
predictor.N.1.norm2.fc.bias 512
predictor.N.1.conv1x1.weight_g 256x1x1
predictor.N.1.conv1x1.weight_v 256x512x1
predictor.N.1.pool.weight_g 512x1x1
predictor.N.1.pool.weight_v 512x1x3
predictor.N.1.pool.bias 512
predictor.N.2.conv1.weight_g 256x1x1
predictor.N.2.conv1.weight_v 256x256x3
predictor.N.2.conv1.bias 256
predictor.N.2.conv2.weight_g 256x1x1
predictor.N.2.conv2.weight_v 256x256x3
predictor.N.2.conv2.bias 256
predictor.N.2.norm1.fc.weight 512x128
predictor.N.2.norm1.fc.bias 512
predictor.N.2.norm2.fc.weight 512x128
predictor.N.2.norm2.fc.bias 512
predictor.F0_proj.weight 1x256x1
predictor.F0_proj.bias 1
predictor.N_proj.weight 1x256x1
predictor.N_proj.bias 1
text_encoder.embedding.weight 178x512
text_encoder.cnn.0.0.weight_g 512x1x1
text_encoder.cnn.0.0.weight_v 512x512x5
text_encoder.cnn.0.0.bias 512
text_encoder.cnn.0.1.gamma 512
text_encoder.cnn.0.1.beta 512
text_encoder.cnn.1.0.weight_g 512x1x1
text_encoder.cnn.1.0.weight_v 512x512x5
text_encoder.cnn.1.0.bias 512
text_encoder.cnn.1.1.gamma 512
text_encoder.cnn.1.1.beta 512
text_encoder.cnn.2.0.weight_g 512x1x1
text_encoder.cnn.2.0.weight_v 512x512x5
text_encoder.cnn.2.0.bias 512
text_encoder.cnn.2.1.gamma 512
text_encoder.cnn.2.1.beta 512
text_encoder.lstm.weight_ih_l0 1024x512
text_encoder.lstm.weight_hh_l0 1024x256
text_encoder.lstm.bias_ih_l0 1024
text_encoder.lstm.bias_hh_l0 1024
text_encoder.lstm.weight_ih_l0_reverse 1024x512
text_encoder.lstm.weight_hh_l0_reverse 1024x256
text_encoder.lstm.bias_ih_l0_reverse 1024
text_encoder.lstm.bias_hh_l0_reverse 1024
decoder.encode.conv1.weight_g 1024x1x1
decoder.encode.conv1.weight_v 1024x514x3
decoder.encode.conv1.bias 1024
decoder.encode.conv2.weight_g 1024x1x1
decoder.encode.conv2.weight_v 1024x1024x3
decoder.encode.conv2.bias 1024
decoder.encode.norm1.fc.weight 1028x128
decoder.encode.norm1.fc.bias 1028
decoder.encode.norm2.fc.weight 2048x128
decoder.encode.norm2.fc.bias 2048
decoder.encode.conv1x1.weight_g 1024x1x1
decoder.encode.conv1x1.weight_v 1024x514x1
decoder.decode.0.conv1.weight_g 1024x1x1
decoder.decode.0.conv1.weight_v 1024x1090x3
decoder.decode.0.conv1.bias 1024
decoder.decode.0.conv2.weight_g 1024x1x1
decoder.decode.0.conv2.weight_v 1024x1024x3
decoder.decode.0.conv2.bias 1024
decoder.decode.0.norm1.fc.weight 2180x128
decoder.decode.0.norm1.fc.bias 2180
decoder.decode.0.norm2.fc.weight 2048x128
decoder.decode.0.norm2.fc.bias 2048
decoder.decode.0.conv1x1.weight_g 1024x1x1
decoder.decode.0.conv1x1.weight_v 1024x1090x1
decoder.decode.1.conv1.weight_g 1024x1x1
decoder.decode.1.conv1.weight_v 1024x1090x3
decoder.decode.1.conv1.bias 1024
decoder.decode.1.conv2.weight_g 1024x1x1
decoder.decode.1.conv2.weight_v 1024x1024x3
decoder.decode.1.conv2.bias 1024
decoder.decode.1.norm1.fc.weight 2180x128
decoder.decode.1.norm1.fc.bias 2180
decoder.decode.1.norm2.fc.weight 2048x128
decoder.decode.1.norm2.fc.bias 2048
decoder.decode.1.conv1x1.weight_g 1024x1x1
decoder.decode.1.conv1x1.weight_v 1024x1090x1
decoder.decode.2.conv1.weight_g 1024x1x1
decoder.decode.2.conv1.weight_v 1024x1090x3
decoder.decode.2.conv1.bias 1024
decoder.decode.2.conv2.weight_g 1024x1x1
decoder.decode.2.conv2.weight_v 1024x1024x3
decoder.decode.2.conv2.bias 1024
decoder.decode.2.norm1.fc.weight 2180x128
decoder.decode.2.norm1.fc.bias 2180
decoder.decode.2.norm2.fc.weight 2048x128
decoder.decode.2.norm2.fc.bias 2048
decoder.decode.2.conv1x1.weight_g 1024x1x1
decoder.decode.2.conv1x1.weight_v 1024x1090x1
decoder.decode.3.conv1.weight_g 512x1x1
decoder.decode.3.conv1.weight_v 512x1090x3
decoder.decode.3.conv1.bias 512
decoder.decode.3.conv2.weight_g 512x1x1
decoder.decode.3.conv2.weight_v 512x512x3
decoder.decode.3.conv2.bias 512
decoder.decode.3.norm1.fc.weight 2180x128
decoder.decode.3.norm1.fc.bias 2180
decoder.decode.3.norm2.fc.weight 1024x128
decoder.decode.3.norm2.fc.bias 1024
decoder.decode.3.conv1x1.weight_g 512x1x1
decoder.decode.3.conv1x1.weight_v 512x1090x1
decoder.decode.3.pool.weight_g 1090x1x1
decoder.decode.3.pool.weight_v 1090x1x3
decoder.decode.3.pool.bias 1090
decoder.F0_conv.weight_g 1x1x1
decoder.F0_conv.weight_v 1x1x3
decoder.F0_conv.bias 1
decoder.N_conv.weight_g 1x1x1
decoder.N_conv.weight_v 1x1x3
decoder.N_conv.bias 1
decoder.asr_res.0.weight_g 64x1x1
decoder.asr_res.0.weight_v 64x512x1
decoder.asr_res.0.bias 64
decoder.generator.m_source.l_linear.weight 1x9
decoder.generator.m_source.l_linear.bias 1
decoder.generator.ups.0.weight_g 512x1x1
decoder.generator.ups.0.weight_v 512x256x20
decoder.generator.ups.0.bias 256
decoder.generator.ups.1.weight_g 256x1x1
decoder.generator.ups.1.weight_v 256x128x12
decoder.generator.ups.1.bias 128
decoder.generator.resblocks.0.convs1.0.weight_g 256x1x1
decoder.generator.resblocks.0.convs1.0.weight_v 256x256x3
decoder.generator.resblocks.0.convs1.0.bias 256
decoder.generator.resblocks.0.convs1.1.weight_g 256x1x1
decoder.generator.resblocks.0.convs1.1.weight_v 256x256x3
decoder.generator.resblocks.0.convs1.1.bias 256
decoder.generator.resblocks.0.convs1.2.weight_g 256x1x1
decoder.generator.resblocks.0.convs1.2.weight_v 256x256x3
decoder.generator.resblocks.0.convs1.2.bias 256
decoder.generator.resblocks.0.convs2.0.weight_g 256x1x1
decoder.generator.resblocks.0.convs2.0.weight_v 256x256x3
decoder.generator.resblocks.0.convs2.0.bias 256
decoder.generator.resblocks.0.convs2.1.weight_g 256x1x1
decoder.generator.resblocks.0.convs2.1.weight_v 256x256x3
decoder.generator.resblocks.0.convs2.1.bias 256
decoder.generator.resblocks.0.convs2.2.weight_g 256x1x1
decoder.generator.resblocks.0.convs2.2.weight_v 256x256x3
decoder.generator.resblocks.0.convs2.2.bias 256
decoder.generator.resblocks.0.adain1.0.fc.weight 512x128
decoder.generator.resblocks.0.adain1.0.fc.bias 512
decoder.generator.resblocks.0.adain1.1.fc.weight 512x128
decoder.generator.resblocks.0.adain1.1.fc.bias 512
decoder.generator.resblocks.0.adain1.2.fc.weight 512x128
decoder.generator.resblocks.0.adain1.2.fc.bias 512
decoder.generator.resblocks.0.adain2.0.fc.weight 512x128
decoder.generator.resblocks.0.adain2.0.fc.bias 512
decoder.generator.resblocks.0.adain2.1.fc.weight 512x128
decoder.generator.resblocks.0.adain2.1.fc.bias 512
decoder.generator.resblocks.0.adain2.2.fc.weight 512x128
decoder.generator.resblocks.0.adain2.2.fc.bias 512
decoder.generator.resblocks.0.alpha1.0 1x256x1
decoder.generator.resblocks.0.alpha1.1 1x256x1
decoder.generator.resblocks.0.alpha1.2 1x256x1
decoder.generator.resblocks.0.alpha2.0 1x256x1
decoder.generator.resblocks.0.alpha2.1 1x256x1
decoder.generator.resblocks.0.alpha2.2 1x256x1
decoder.generator.resblocks.1.convs1.0.weight_g 256x1x1
decoder.generator.resblocks.1.convs1.0.weight_v 256x256x7
decoder.generator.resblocks.1.convs1.0.bias 256
decoder.generator.resblocks.1.convs1.1.weight_g 256x1x1
decoder.generator.resblocks.1.convs1.1.weight_v 256x256x7
decoder.generator.resblocks.1.convs1.1.bias 256
decoder.generator.resblocks.1.convs1.2.weight_g 256x1x1
decoder.generator.resblocks.1.convs1.2.weight_v 256x256x7
decoder.generator.resblocks.1.convs1.2.bias 256
decoder.generator.resblocks.1.convs2.0.weight_g 256x1x1
decoder.generator.resblocks.1.convs2.0.weight_v 256x256x7
decoder.generator.resblocks.1.convs2.0.bias 256
decoder.generator.resblocks.1.convs2.1.weight_g 256x1x1
decoder.generator.resblocks.1.convs2.1.weight_v 256x256x7
decoder.generator.resblocks.1.convs2.1.bias 256
decoder.generator.resblocks.1.convs2.2.weight_g 256x1x1
decoder.generator.resblocks.1.convs2.2.weight_v 256x256x7
decoder.generator.resblocks.1.convs2.2.bias 256
decoder.generator.resblocks.1.adain1.0.fc.weight 512x128
decoder.generator.resblocks.1.adain1.0.fc.bias 512
decoder.generator.resblocks.1.adain1.1.fc.weight 512x128
decoder.generator.resblocks.1.adain1.1.fc.bias 512
decoder.generator.resblocks.1.adain1.2.fc.weight 512x128
decoder.generator.resblocks.1.adain1.2.fc.bias 512
decoder.generator.resblocks.1.adain2.0.fc.weight 512x128
decoder.generator.resblocks.1.adain2.0.fc.bias 512
decoder.generator.resblocks.1.adain2.1.fc.weight 512x128
decoder.generator.resblocks.1.adain2.1.fc.bias 512
decoder.generator.resblocks.1.adain2.2.fc.weight 512x128
decoder.generator.resblocks.1.adain2.2.fc.bias 512
decoder.generator.resblocks.1.alpha1.0 1x256x1
decoder.generator.resblocks.1.alpha1.1 1x256x1
decoder.generator.resblocks.1.alpha1.2 1x256x1
decoder.generator.resblocks.1.alpha2.0 1x256x1
decoder.generator.resblocks.1.alpha2.1 1x256x1
decoder.generator.resblocks.1.alpha2.2 1x256x1
decoder.generator.resblocks.2.convs1.0.weight_g 256x1x1
decoder.generator.resblocks.2.convs1.0.weight_v 256x256x11
decoder.generator.resblocks.2.convs1.0.bias 256
decoder.generator.resblocks.2.convs1.1.weight_g 256x1x1
decoder.generator.resblocks.2.convs1.1.weight_v 256x256x11
decoder.generator.resblocks.2.convs1.1.bias 256
decoder.generator.resblocks.2.convs1.2.weight_g 256x1x1
decoder.generator.resblocks.2.convs1.2.weight_v 256x256x11
decoder.generator.resblocks.2.convs1.2.bias 256
decoder.generator.resblocks.2.convs2.0.weight_g 256x1x1
decoder.generator.resblocks.2.convs2.0.weight_v 256x256x11
decoder.generator.resblocks.2.convs2.0.bias 256
decoder.generator.resblocks.2.convs2.1.weight_g 256x1x1
decoder.generator.resblocks.2.convs2.1.weight_v 256x256x11
decoder.generator.resblocks.2.convs2.1.bias 256
decoder.generator.resblocks.2.convs2.2.weight_g 256x1x1
decoder.generator.resblocks.2.convs2.2.weight_v 256x256x11
decoder.generator.resblocks.2.convs2.2.bias 256
decoder.generator.resblocks.2.adain1.0.fc.weight 512x128
decoder.generator.resblocks.2.adain1.0.fc.bias 512
decoder.generator.resblocks.2.adain1.1.fc.weight 512x128
decoder.generator.resblocks.2.adain1.1.fc.bias 512
decoder.generator.resblocks.2.adain1.2.fc.weight 512x128
decoder.generator.resblocks.2.adain1.2.fc.bias 512
decoder.generator.resblocks.2.adain2.0.fc.weight 512x128
decoder.generator.resblocks.2.adain2.0.fc.bias 512
decoder.generator.resblocks.2.adain2.1.fc.weight 512x128
decoder.generator.resblocks.2.adain2.1.fc.bias 512
decoder.generator.resblocks.2.adain2.2.fc.weight 512x128
decoder.generator.resblocks.2.adain2.2.fc.bias 512
decoder.generator.resblocks.2.alpha1.0 1x256x1
decoder.generator.resblocks.2.alpha1.1 1x256x1
decoder.generator.resblocks.2.alpha1.2 1x256x1
decoder.generator.resblocks.2.alpha2.0 1x256x1
decoder.generator.resblocks.2.alpha2.1 1x256x1
decoder.generator.resblocks.2.alpha2.2 1x256x1
decoder.generator.resblocks.3.convs1.0.weight_g 128x1x1
decoder.generator.resblocks.3.convs1.0.weight_v 128x128x3
decoder.generator.resblocks.3.convs1.0.bias 128
decoder.generator.resblocks.3.convs1.1.weight_g 128x1x1
decoder.generator.resblocks.3.convs1.1.weight_v 128x128x3
decoder.generator.resblocks.3.convs1.1.bias 128
decoder.generator.resblocks.3.convs1.2.weight_g 128x1x1
decoder.generator.resblocks.3.convs1.2.weight_v 128x128x3
decoder.generator.resblocks.3.convs1.2.bias 128
decoder.generator.resblocks.3.convs2.0.weight_g 128x1x1
decoder.generator.resblocks.3.convs2.0.weight_v 128x128x3
decoder.generator.resblocks.3.convs2.0.bias 128
decoder.generator.resblocks.3.convs2.1.weight_g 128x1x1
decoder.generator.resblocks.3.convs2.1.weight_v 128x128x3
decoder.generator.resblocks.3.convs2.1.bias 128
decoder.generator.resblocks.3.convs2.2.weight_g 128x1x1
decoder.generator.resblocks.3.convs2.2.weight_v 128x128x3
decoder.generator.resblocks.3.convs2.2.bias 128
decoder.generator.resblocks.3.adain1.0.fc.weight 256x128
decoder.generator.resblocks.3.adain1.0.fc.bias 256
decoder.generator.resblocks.3.adain1.1.fc.weight 256x128
decoder.generator.resblocks.3.adain1.1.fc.bias 256
decoder.generator.resblocks.3.adain1.2.fc.weight 256x128
decoder.generator.resblocks.3.adain1.2.fc.bias 256
decoder.generator.resblocks.3.adain2.0.fc.weight 256x128
decoder.generator.resblocks.3.adain2.0.fc.bias 256
decoder.generator.resblocks.3.adain2.1.fc.weight 256x128
decoder.generator.resblocks.3.adain2.1.fc.bias 256
decoder.generator.resblocks.3.adain2.2.fc.weight 256x128
decoder.generator.resblocks.3.adain2.2.fc.bias 256
decoder.generator.resblocks.3.alpha1.0 1x128x1
decoder.generator.resblocks.3.alpha1.1 1x128x1
decoder.generator.resblocks.3.alpha1.2 1x128x1
decoder.generator.resblocks.3.alpha2.0 1x128x1
decoder.generator.resblocks.3.alpha2.1 1x128x1
decoder.generator.resblocks.3.alpha2.2 1x128x1
decoder.generator.resblocks.4.convs1.0.weight_g 128x1x1
decoder.generator.resblocks.4.convs1.0.weight_v 128x128x7
decoder.generator.resblocks.4.convs1.0.bias 128
decoder.generator.resblocks.4.convs1.1.weight_g 128x1x1
decoder.generator.resblocks.4.convs1.1.weight_v 128x128x7
decoder.generator.resblocks.4.convs1.1.bias 128
decoder.generator.resblocks.4.convs1.2.weight_g 128x1x1
decoder.generator.resblocks.4.convs1.2.weight_v 128x128x7
decoder.generator.resblocks.4.convs1.2.bias 128
decoder.generator.resblocks.4.convs2.0.weight_g 128x1x1
decoder.generator.resblocks.4.convs2.0.weight_v 128x128x7
decoder.generator.resblocks.4.convs2.0.bias 128
decoder.generator.resblocks.4.convs2.1.weight_g 128x1x1
decoder.generator.resblocks.4.convs2.1.weight_v 128x128x7
decoder.generator.resblocks.4.convs2.1.bias 128
decoder.generator.resblocks.4.convs2.2.weight_g 128x1x1
decoder.generator.resblocks.4.convs2.2.weight_v 128x128x7
decoder.generator.resblocks.4.convs2.2.bias 128
decoder.generator.resblocks.4.adain1.0.fc.weight 256x128
decoder.generator.resblocks.4.adain1.0.fc.bias 256
decoder.generator.resblocks.4.adain1.1.fc.weight 256x128
decoder.generator.resblocks.4.adain1.1.fc.bias 256
decoder.generator.resblocks.4.adain1.2.fc.weight 256x128
decoder.generator.resblocks.4.adain1.2.fc.bias 256
decoder.generator.resblocks.4.adain2.0.fc.weight 256x128
decoder.generator.resblocks.4.adain2.0.fc.bias 256
decoder.generator.resblocks.4.adain2.1.fc.weight 256x128
decoder.generator.resblocks.4.adain2.1.fc.bias 256
decoder.generator.resblocks.4.adain2.2.fc.weight 256x128
decoder.generator.resblocks.4.adain2.2.fc.bias 256
decoder.generator.resblocks.4.alpha1.0 1x128x1
decoder.generator.resblocks.4.alpha1.1 1x128x1
decoder.generator.resblocks.4.alpha1.2 1x128x1
decoder.generator.resblocks.4.alpha2.0 1x128x1
decoder.generator.resblocks.4.alpha2.1 1x128x1
decoder.generator.resblocks.4.alpha2.2 1x128x1
decoder.generator.resblocks.5.convs1.0.weight_g 128x1x1
decoder.generator.resblocks.5.convs1.0.weight_v 128x128x11
decoder.generator.resblocks.5.convs1.0.bias 128
decoder.generator.resblocks.5.convs1.1.weight_g 128x1x1
decoder.generator.resblocks.5.convs1.1.weight_v 128x128x11
decoder.generator.resblocks.5.convs1.1.bias 128
decoder.generator.resblocks.5.convs1.2.weight_g 128x1x1
decoder.generator.resblocks.5.convs1.2.weight_v 128x128x11
decoder.generator.resblocks.5.convs1.2.bias 128
decoder.generator.resblocks.5.convs2.0.weight_g 128x1x1
decoder.generator.resblocks.5.convs2.0.weight_v 128x128x11
decoder.generator.resblocks.5.convs2.0.bias 128
decoder.generator.resblocks.5.convs2.1.weight_g 128x1x1
decoder.generator.resblocks.5.convs2.1.weight_v 128x128x11
decoder.generator.resblocks.5.convs2.1.bias 128
decoder.generator.resblocks.5.convs2.2.weight_g 128x1x1
decoder.generator.resblocks.5.convs2.2.weight_v 128x128x11
decoder.generator.resblocks.5.convs2.2.bias 128
decoder.generator.resblocks.5.adain1.0.fc.weight 256x128
decoder.generator.resblocks.5.adain1.0.fc.bias 256
decoder.generator.resblocks.5.adain1.1.fc.weight 256x128
decoder.generator.resblocks.5.adain1.1.fc.bias 256
decoder.generator.resblocks.5.adain1.2.fc.weight 256x128
decoder.generator.resblocks.5.adain1.2.fc.bias 256
decoder.generator.resblocks.5.adain2.0.fc.weight 256x128
decoder.generator.resblocks.5.adain2.0.fc.bias 256
decoder.generator.resblocks.5.adain2.1.fc.weight 256x128
decoder.generator.resblocks.5.adain2.1.fc.bias 256
decoder.generator.resblocks.5.adain2.2.fc.weight 256x128
decoder.generator.resblocks.5.adain2.2.fc.bias 256
decoder.generator.resblocks.5.alpha1.0 1x128x1
decoder.generator.resblocks.5.alpha1.1 1x128x1
decoder.generator.resblocks.5.alpha1.2 1x128x1
decoder.generator.resblocks.5.alpha2.0 1x128x1
decoder.generator.resblocks.5.alpha2.1 1x128x1
decoder.generator.resblocks.5.alpha2.2 1x128x1
decoder.generator.noise_convs.0.weight 256x22x12
decoder.generator.noise_convs.0.bias 256
decoder.generator.noise_convs.1.weight 128x22x1
decoder.generator.noise_convs.1.bias 128
decoder.generator.noise_res.0.convs1.0.weight_g 256x1x1
decoder.generator.noise_res.0.convs1.0.weight_v 256x256x7
decoder.generator.noise_res.0.convs1.0.bias 256
decoder.generator.noise_res.0.convs1.1.weight_g 256x1x1
decoder.generator.noise_res.0.convs1.1.weight_v 256x256x7
decoder.generator.noise_res.0.convs1.1.bias 256
decoder.generator.noise_res.0.convs1.2.weight_g 256x1x1
decoder.generator.noise_res.0.convs1.2.weight_v 256x256x7
decoder.generator.noise_res.0.convs1.2.bias 256
decoder.generator.noise_res.0.convs2.0.weight_g 256x1x1
decoder.generator.noise_res.0.convs2.0.weight_v 256x256x7
decoder.generator.noise_res.0.convs2.0.bias 256
decoder.generator.noise_res.0.convs2.1.weight_g 256x1x1
decoder.generator.noise_res.0.convs2.1.weight_v 256x256x7
decoder.generator.noise_res.0.convs2.1.bias 256
decoder.generator.noise_res.0.convs2.2.weight_g 256x1x1
decoder.generator.noise_res.0.convs2.2.weight_v 256x256x7
decoder.generator.noise_res.0.convs2.2.bias 256
decoder.generator.noise_res.0.adain1.0.fc.weight 512x128
decoder.generator.noise_res.0.adain1.0.fc.bias 512
decoder.generator.noise_res.0.adain1.1.fc.weight 512x128
decoder.generator.noise_res.0.adain1.1.fc.bias 512
decoder.generator.noise_res.0.adain1.2.fc.weight 512x128
decoder.generator.noise_res.0.adain1.2.fc.bias 512
decoder.generator.noise_res.0.adain2.0.fc.weight 512x128
decoder.generator.noise_res.0.adain2.0.fc.bias 512
decoder.generator.noise_res.0.adain2.1.fc.weight 512x128
decoder.generator.noise_res.0.adain2.1.fc.bias 512
decoder.generator.noise_res.0.adain2.2.fc.weight 512x128
decoder.generator.noise_res.0.adain2.2.fc.bias 512
decoder.generator.noise_res.0.alpha1.0 1x256x1
decoder.generator.noise_res.0.alpha1.1 1x256x1
decoder.generator.noise_res.0.alpha1.2 1x256x1
decoder.generator.noise_res.0.alpha2.0 1x256x1
decoder.generator.noise_res.0.alpha2.1 1x256x1
decoder.generator.noise_res.0.alpha2.2 1x256x1
decoder.generator.noise_res.1.convs1.0.weight_g 128x1x1
decoder.generator.noise_res.1.convs1.0.weight_v 128x128x11
decoder.generator.noise_res.1.convs1.0.bias 128
decoder.generator.noise_res.1.convs1.1.weight_g 128x1x1
decoder.generator.noise_res.1.convs1.1.weight_v 128x128x11
decoder.generator.noise_res.1.convs1.1.bias 128
decoder.generator.noise_res.1.convs1.2.weight_g 128x1x1
decoder.generator.noise_res.1.convs1.2.weight_v 128x128x11
decoder.generator.noise_res.1.convs1.2.bias 128
decoder.generator.noise_res.1.convs2.0.weight_g 128x1x1
decoder.generator.noise_res.1.convs2.0.weight_v 128x128x11
decoder.generator.noise_res.1.convs2.0.bias 128
decoder.generator.noise_res.1.convs2.1.weight_g 128x1x1
decoder.generator.noise_res.1.convs2.1.weight_v 128x128x11
decoder.generator.noise_res.1.convs2.1.bias 128
decoder.generator.noise_res.1.convs2.2.weight_g 128x1x1
decoder.generator.noise_res.1.convs2.2.weight_v 128x128x11
decoder.generator.noise_res.1.convs2.2.bias 128
decoder.generator.noise_res.1.adain1.0.fc.weight 256x128
decoder.generator.noise_res.1.adain1.0.fc.bias 256
decoder.generator.noise_res.1.adain1.1.fc.weight 256x128
decoder.generator.noise_res.1.adain1.1.fc.bias 256
decoder.generator.noise_res.1.adain1.2.fc.weight 256x128
decoder.generator.noise_res.1.adain1.2.fc.bias 256
decoder.generator.noise_res.1.adain2.0.fc.weight 256x128
decoder.generator.noise_res.1.adain2.0.fc.bias 256
decoder.generator.noise_res.1.adain2.1.fc.weight 256x128
decoder.generator.noise_res.1.adain2.1.fc.bias 256
decoder.generator.noise_res.1.adain2.2.fc.weight 256x128
decoder.generator.noise_res.1.adain2.2.fc.bias 256
decoder.generator.noise_res.1.alpha1.0 1x128x1
decoder.generator.noise_res.1.alpha1.1 1x128x1
decoder.generator.noise_res.1.alpha1.2 1x128x1
decoder.generator.noise_res.1.alpha2.0 1x128x1
decoder.generator.noise_res.1.alpha2.1 1x128x1
decoder.generator.noise_res.1.alpha2.2 1x128x1
decoder.generator.conv_post.weight_g 22x1x1
decoder.generator.conv_post.weight_v 22x128x7
decoder.generator.conv_post.bias 22
"""


def official_shapes() -> dict[str, tuple[int, ...]]:
    shapes = {}
    for line in OFFICIAL_TENSORS.strip().splitlines():
        key, shape = line.split()
        shapes[key] = tuple(int(n) for n in shape.split("x"))
    return shapes


def test_full_model_has_the_official_tensors_and_parameter_count() -> None:
    model = KokoroModel(KokoroConfig.default())
    state = model.state_dict()
    expected = official_shapes()
    assert len(expected) == 548
    assert sorted(state) == sorted(expected)
    mismatched = {key: tuple(state[key].shape) for key in expected if tuple(state[key].shape) != expected[key]}
    assert mismatched == {}
    assert sum(tensor.numel() for tensor in state.values()) == 81_763_410
    assert sum(p.numel() for p in model.parameters()) == 81_763_410


def test_default_config_values_and_vocab() -> None:
    config = KokoroConfig.default()
    assert (config.n_token, config.hidden_dim, config.style_dim, config.n_layer, config.max_dur) == (178, 512, 128, 3, 50)
    assert config.istftnet["upsample_rates"] == [10, 6]
    assert config.plbert["num_hidden_layers"] == 12
    assert len(config.vocab) == 114
    assert config.vocab["ɹ"] == 123 and config.vocab[" "] == 16 and config.vocab["ᵻ"] == 177
    assert config.samples_per_duration == 600 == KokoroConfig.tiny().samples_per_duration
    assert config.max_tokens == 512


def test_the_shared_constants_are_the_default_configs_values() -> None:
    """SAMPLE_RATE, SAMPLES_PER_FRAME, STYLE_DIM and MAX_TOKENS are what KokoroConfig.default() builds."""
    from kokoro_tui.model.config import MAX_TOKENS, SAMPLE_RATE, SAMPLES_PER_FRAME, STYLE_DIM

    config = KokoroConfig.default()
    assert config.samples_per_duration == SAMPLES_PER_FRAME
    assert config.style_size == STYLE_DIM
    assert config.max_tokens - 2 == MAX_TOKENS  # BOS and EOS take two positions
    assert SAMPLES_PER_FRAME / SAMPLE_RATE == 0.025


def test_config_json_round_trip_and_unknown_keys(tmp_path) -> None:
    path = tmp_path / "config.json"
    KokoroConfig.tiny().to_json(path)
    assert KokoroConfig.from_json(path) == KokoroConfig.tiny()
    data = json.loads(path.read_text(encoding="utf-8"))
    data["future_key"] = 1
    data["vocab"] = {"a": 1, "b": 2}
    path.write_text(json.dumps(data), encoding="utf-8")
    loaded = KokoroConfig.from_json(path)
    assert loaded.vocab == {"a": 1, "b": 2} and loaded.hidden_dim == 32


def test_default_accepts_a_given_vocab() -> None:
    assert KokoroConfig.default({"x": 5}).vocab == {"x": 5}
    assert KokoroConfig.default().vocab == DEFAULT_VOCAB


@pytest.mark.parametrize(
    "content",
    ["{not json", json.dumps([1, 2]), json.dumps({"vocab": {"a": 0}}), json.dumps({"vocab": {"a": 500}})],
)
def test_bad_config_files_raise_kokoro_error(tmp_path, content: str) -> None:
    path = tmp_path / "config.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KokoroError):
        KokoroConfig.from_json(path)


def test_missing_config_file_raises_kokoro_error(tmp_path) -> None:
    with pytest.raises(KokoroError, match="not found"):
        KokoroConfig.from_json(tmp_path / "absent.json")


def _capture(model: KokoroModel, names: list[str]) -> dict[str, torch.Tensor]:
    outputs: dict[str, torch.Tensor] = {}
    for name in names:
        def hook(module, inputs, output, name=name):  # noqa: ANN001
            outputs[name] = output[0] if isinstance(output, tuple) else output
        model.get_submodule(name).register_forward_hook(hook)
    return outputs


def test_every_stage_has_the_documented_shape() -> None:
    torch.manual_seed(0)
    model = KokoroModel(KokoroConfig.tiny())
    stages = {
        "bert": None, "bert_encoder": None, "predictor.text_encoder": None,
        "predictor.duration_proj": None, "predictor.shared": None, "predictor.F0.1": None,
        "predictor.N_proj": None, "text_encoder": None, "decoder.encode": None,
        "decoder.asr_res": None, "decoder.decode.2": None, "decoder.decode.3": None,
        "decoder.generator.m_source": None, "decoder.generator.ups.0": None,
        "decoder.generator.noise_convs.0": None, "decoder.generator.ups.1": None,
        "decoder.generator.noise_convs.1": None, "decoder.generator.conv_post": None,
    }
    outputs = _capture(model, list(stages))
    ids = [50, 86, 54, 57, 135]
    result = model.synthesize(ids, torch.randn(32), noise=False)
    T = len(ids) + 2
    F = int(result.durations.sum())
    expected = {
        "bert": (1, T, 32), "bert_encoder": (1, T, 32), "predictor.text_encoder": (1, T, 48),
        "predictor.duration_proj": (1, T, 4), "predictor.shared": (1, F, 32), "predictor.F0.1": (1, 16, 2 * F),
        "predictor.N_proj": (1, 1, 2 * F), "text_encoder": (1, 32, T), "decoder.encode": (1, 64, F),
        "decoder.asr_res": (1, 4, F), "decoder.decode.2": (1, 64, F), "decoder.decode.3": (1, 16, 2 * F),
        "decoder.generator.m_source": (1, 600 * F), "decoder.generator.ups.0": (1, 8, 20 * F),
        "decoder.generator.noise_convs.0": (1, 8, 20 * F), "decoder.generator.ups.1": (1, 4, 120 * F),
        "decoder.generator.noise_convs.1": (1, 4, 120 * F + 1), "decoder.generator.conv_post": (1, 22, 120 * F + 1),
    }
    assert {name: tuple(out.shape) for name, out in outputs.items()} == expected
    assert result.durations.shape == (T,) and result.durations.dtype == torch.long
    assert result.audio.shape == (600 * F,) and result.audio.dtype == torch.float32
