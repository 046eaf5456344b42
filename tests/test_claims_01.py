"""Chapter 1's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

from chapters import printed_value

STEM = "01_flatten"


def test_dense_mixes_only_the_last_axis():
    assert printed_value(STEM, "input (32, 784)    -> output") == "(32, 10)"
    assert printed_value(STEM, "input (32, 28, 28) -> output") == "(32, 28, 10)"


def test_hand_flattening_equals_flatten_with_784_features():
    assert printed_value(STEM, "hand-flattened shape:") == "(60000, 784)"
    assert printed_value(STEM, "Flatten output shape:") == "(1000, 784)"
    assert printed_value(STEM, "hand-flattened features:") == "784"
    assert printed_value(STEM, "identical to reshape:") == "True"
    assert printed_value(STEM, "Flatten parameters:") == "0"


def test_pixel_r_c_lands_at_28r_plus_c():
    pixel = printed_value(STEM, "pixel (row 14, col 12) =")
    assert printed_value(STEM, "vector[28*14 + 12] = vector[404] =") == pixel
    assert float(pixel) > 0  # a pixel of the garment, not background


def test_permuted_kernel_on_shuffled_pixels_computes_the_same():
    assert printed_value(STEM, "largest difference below 1e-5:") == "True"
    assert printed_value(STEM, "flattened shape:") == "(5, 3072)"
