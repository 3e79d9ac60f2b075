from __future__ import annotations

import itertools

import pytest

from drivers.idcard.protocol import (
    Command,
    FrameError,
    FrameReader,
    checksum,
    decode_reply,
    encode_frame,
    encode_request,
)
from drivers.idcard.status import ReadKind


def test_requests_match_the_published_frames():
    # find card and select card as printed in every vendor's manual
    assert encode_request(Command.FIND_CARD).hex(" ").upper() == "AA AA AA 96 69 00 03 20 01 22"
    assert encode_request(Command.SELECT_CARD).hex(" ").upper() == "AA AA AA 96 69 00 03 20 02 21"
    assert encode_request(Command.READ_BASIC).hex(" ").upper() == "AA AA AA 96 69 00 03 30 01 32"
    assert encode_request(Command.SAM_STATUS).hex(" ").upper() == "AA AA AA 96 69 00 03 11 FF ED"
    assert encode_request(Command.RESET_SAM).hex(" ").upper() == "AA AA AA 96 69 00 03 10 FF EC"


def reader_of(*chunks: bytes) -> FrameReader:
    """A FrameReader over chunks that arrive one per read (b"" = nothing in time)."""
    pending = list(chunks)
    clock = itertools.count(0, 0.1)

    def read(size, timeout):
        return pending.pop(0) if pending else b""

    return FrameReader(read, clock=lambda: next(clock))


def test_a_frame_in_pieces_and_after_noise():
    frame = encode_frame(bytes([0, 0, 0x90]))
    frames = reader_of(b"\x00\x13", frame[:3], frame[3:6], frame[6:])
    reply = decode_reply(frames.read_frame(5))
    assert (reply.sw1, reply.sw2, reply.sw3, reply.data) == (0, 0, 0x90, b"")


def test_two_frames_in_one_chunk():
    a, b = encode_frame(bytes([0, 0, 0x9F, 0, 0, 0, 0])), encode_frame(bytes([0, 0, 0x90]))
    frames = reader_of(a + b)
    assert decode_reply(frames.read_frame(5)).sw3 == 0x9F
    assert decode_reply(frames.read_frame(5)).sw3 == 0x90


@pytest.mark.parametrize(
    "chunks, kind",
    [
        ((), ReadKind.TIMEOUT),
        ((b"\x01\x02\x03",), ReadKind.INVALID_RESPONSE),
        ((b"\xaa\xaa\xaa",), ReadKind.PARTIAL_FRAME),
        ((encode_frame(bytes([0, 0, 0x90, 1, 2, 3]))[:-2],), ReadKind.PARTIAL_FRAME),
        ((encode_frame(bytes([0, 0, 0x90]))[:-1] + b"\x00",), ReadKind.CHECKSUM_ERROR),
        ((bytes.fromhex("AAAAAA9669FFFF"),), ReadKind.INVALID_RESPONSE),
        ((bytes(3000),), ReadKind.INVALID_RESPONSE),
    ],
    ids=["silence", "noise", "preamble-only", "cut-off", "checksum", "length", "endless-noise"],
)
def test_every_fault_is_a_typed_error_within_the_deadline(chunks, kind):
    with pytest.raises(FrameError) as caught:
        reader_of(*chunks).read_frame(1.0)
    assert caught.value.kind is kind


def test_checksum_is_xor_after_the_preamble():
    frame = encode_request(Command.FIND_CARD)
    assert checksum(frame[5:-1]) == frame[-1]
