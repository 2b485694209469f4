#!/usr/bin/env python3
"""Make color/generic-cmyk.icc: the output-intent profile of the print variant (PDF/X-4
needs one embedded), when the print shop has not supplied its own.

It is an honest, generic ICC v4 output profile ("prtr", CMYK → Lab), written with LittleCMS
(liblcms2, through ctypes) from a simple subtractive model — CMY from RGB with full grey
component replacement, sRGB primaries, D50 PCS — and labelled as uncalibrated. It declares
no registered printing condition (not FOGRA39, not GRACoL): a print shop's own profile
(config.toml [print] icc_profile) replaces it. The PDF's colours are DeviceCMYK values from
the theme either way; the profile only describes the intended condition.

    python scripts/make_cmyk_profile.py        # writes color/generic-cmyk.icc (deterministic)
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "color" / "generic-cmyk.icc"
DESCRIPTION = "reports generic CMYK (uncalibrated; replace with the print shop's profile)"


def sig(text: str) -> int:
    return int.from_bytes(text.encode("ascii"), "big")


def srgb_to_linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def linear_to_srgb(v: float) -> float:
    v = min(max(v, 0.0), 1.0)
    return 12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055


# sRGB → XYZ (D50, Bradford-adapted), and its inverse
M = ((0.4360747, 0.3850649, 0.1430804), (0.2225045, 0.7168786, 0.0606169),
     (0.0139322, 0.0971045, 0.7141733))
MI = ((3.1338561, -1.6168667, -0.4906146), (-0.9787684, 1.9161415, 0.0334540),
      (0.0719453, -0.2289914, 1.4052427))
D50 = (0.9642, 1.0, 0.8249)


def _f(t):
    return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29


def _fi(t):
    return t ** 3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29)


def cmyk_to_lab(c, m, y, k):
    rgb = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    lin = [srgb_to_linear(v) for v in rgb]
    x, yy, z = (sum(M[i][j] * lin[j] for j in range(3)) for i in range(3))
    fx, fy, fz = _f(x / D50[0]), _f(yy / D50[1]), _f(z / D50[2])
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def lab_to_cmyk(L, a, b):
    fy = (L + 16) / 116
    xyz = (D50[0] * _fi(fy + a / 500), D50[1] * _fi(fy), D50[2] * _fi(fy - b / 200))
    lin = [sum(MI[i][j] * xyz[j] for j in range(3)) for i in range(3)]
    rgb = [linear_to_srgb(v) for v in lin]
    cmy = [1 - v for v in rgb]
    k = min(cmy)
    if k >= 1:
        return 0.0, 0.0, 0.0, 1.0
    return tuple((v - k) / (1 - k) for v in cmy) + (k,)


def main() -> int:
    name = ctypes.util.find_library("lcms2") or "liblcms2.so.2"
    lcms = ctypes.CDLL(name)
    p, u32 = ctypes.c_void_p, ctypes.c_uint32
    lcms.cmsCreateProfilePlaceholder.restype = p
    lcms.cmsCreateProfilePlaceholder.argtypes = [p]
    lcms.cmsSetProfileVersion.argtypes = [p, ctypes.c_double]
    for f in ("cmsSetDeviceClass", "cmsSetColorSpace", "cmsSetPCS"):
        getattr(lcms, f).argtypes = [p, u32]
    lcms.cmsPipelineAlloc.restype = p
    lcms.cmsPipelineAlloc.argtypes = [p, u32, u32]
    lcms.cmsStageAllocCLut16bit.restype = p
    lcms.cmsStageAllocCLut16bit.argtypes = [p, u32, u32, u32, p]
    SAMPLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_uint16),
                               ctypes.POINTER(ctypes.c_uint16), p)
    lcms.cmsStageSampleCLut16bit.argtypes = [p, SAMPLER, p, u32]
    lcms.cmsPipelineInsertStage.argtypes = [p, ctypes.c_int, p]
    lcms.cmsStageAllocToneCurves.restype = p
    lcms.cmsStageAllocToneCurves.argtypes = [p, u32, p]
    lcms.cmsWriteTag.argtypes = [p, u32, p]
    lcms.cmsLinkTag.argtypes = [p, u32, u32]
    lcms.cmsMLUalloc.restype = p
    lcms.cmsMLUalloc.argtypes = [p, u32]
    lcms.cmsMLUsetASCII.argtypes = [p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
    lcms.cmsD50_XYZ.restype = p
    lcms.cmsSaveProfileToMem.argtypes = [p, p, ctypes.POINTER(u32)]
    lcms.cmsSetHeaderFlags.argtypes = [p, u32]
    lcms.cmsSetHeaderRenderingIntent.argtypes = [p, u32]
    lcms.cmsMD5computeID.argtypes = [p]

    LOG = ctypes.CFUNCTYPE(None, p, u32, ctypes.c_char_p)

    @LOG
    def complain(context, code, text):
        print("lcms2:", text.decode(errors="replace"), file=sys.stderr)

    lcms.cmsSetLogErrorHandler.argtypes = [LOG]
    lcms.cmsSetLogErrorHandler(complain)
    profile = lcms.cmsCreateProfilePlaceholder(None)
    lcms.cmsSetProfileVersion(profile, 4.3)
    lcms.cmsSetDeviceClass(profile, sig("prtr"))
    lcms.cmsSetColorSpace(profile, sig("CMYK"))
    lcms.cmsSetPCS(profile, sig("Lab "))
    lcms.cmsSetHeaderRenderingIntent(profile, 1)  # relative colorimetric

    def lab16(L, a, b):  # ICC v4 16-bit Lab encoding
        clamp = lambda v: max(0, min(65535, round(v)))  # noqa: E731
        return clamp(L * 65535 / 100), clamp((a + 128) * 65535 / 255), \
            clamp((b + 128) * 65535 / 255)

    @SAMPLER
    def forward(inp, out, cargo):
        c, m, y, k = (inp[i] / 65535 for i in range(4))
        out[0], out[1], out[2] = lab16(*cmyk_to_lab(c, m, y, k))
        return 1

    @SAMPLER
    def backward(inp, out, cargo):
        L, a, b = inp[0] * 100 / 65535, inp[1] * 255 / 65535 - 128, inp[2] * 255 / 65535 - 128
        for i, v in enumerate(lab_to_cmyk(L, a, b)):
            out[i] = max(0, min(65535, round(v * 65535)))
        return 1

    @SAMPLER
    def gamut(inp, out, cargo):
        L, a, b = inp[0] * 100 / 65535, inp[1] * 255 / 65535 - 128, inp[2] * 255 / 65535 - 128
        back = cmyk_to_lab(*lab_to_cmyk(L, a, b))
        error = sum((x - y) ** 2 for x, y in zip(back, (L, a, b))) ** 0.5
        out[0] = 0 if error < 3 else 65535
        return 1

    def pipeline(inputs, outputs, grid, sampler):
        lut = lcms.cmsPipelineAlloc(None, inputs, outputs)
        stage = lcms.cmsStageAllocCLut16bit(None, grid, inputs, outputs, None)
        if not lcms.cmsStageSampleCLut16bit(stage, sampler, None, 0):
            raise RuntimeError("sampling failed")
        # ICC v4 lutAtoB/lutBtoA: A curves, CLUT, B curves (identity curves here)
        lcms.cmsPipelineInsertStage(lut, 1, lcms.cmsStageAllocToneCurves(None, inputs, None))
        lcms.cmsPipelineInsertStage(lut, 1, stage)
        lcms.cmsPipelineInsertStage(lut, 1, lcms.cmsStageAllocToneCurves(None, outputs, None))
        return lut

    a2b = pipeline(4, 3, 9, forward)
    b2a = pipeline(3, 4, 17, backward)
    def write(tag, data):
        if not lcms.cmsWriteTag(profile, sig(tag), data):
            raise RuntimeError(f"cannot write tag {tag}")

    write("A2B0", a2b)
    write("B2A0", b2a)
    for tag in ("A2B1", "A2B2"):  # one table for every intent: linked, stored once
        lcms.cmsLinkTag(profile, sig(tag), sig("A2B0"))
    for tag in ("B2A1", "B2A2"):
        lcms.cmsLinkTag(profile, sig(tag), sig("B2A0"))
    write("gamt", pipeline(3, 1, 9, gamut))
    write("wtpt", lcms.cmsD50_XYZ())
    for tag, text in (("desc", DESCRIPTION), ("cprt", "No copyright, use freely (CC0)")):
        mlu = lcms.cmsMLUalloc(None, 1)
        lcms.cmsMLUsetASCII(mlu, b"en", b"US", text.encode("ascii"))
        write(tag, mlu)
    lcms.cmsMD5computeID(profile)
    size = u32(0)
    if not lcms.cmsSaveProfileToMem(profile, None, ctypes.byref(size)):
        raise RuntimeError("cannot serialise the profile")
    buffer = ctypes.create_string_buffer(size.value)
    lcms.cmsSaveProfileToMem(profile, buffer, ctypes.byref(size))
    data = bytearray(buffer.raw[:size.value])
    # LittleCMS stamps the creation time: a fixed one instead (same script, same bytes),
    # then the profile ID (MD5 with flags, intent and ID zeroed, ICC.1:2010 7.2.18) again
    import hashlib
    import struct

    data[24:36] = struct.pack(">6H", 2026, 11, 27, 0, 0, 0)
    probe = bytearray(data)
    probe[44:48] = probe[64:68] = b"\0" * 4
    probe[84:100] = b"\0" * 16
    data[84:100] = hashlib.md5(bytes(probe)).digest()
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_bytes(bytes(data))
    print(f"{OUT}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
