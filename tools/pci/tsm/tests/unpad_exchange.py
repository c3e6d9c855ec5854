#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# unpad_exchange.py RECORDING.TXT OUT.TXT
#
# Turn flow 1 of a recording of lib/spdm against DMTF's responder
# (tests/vectors/libspdm-rsp-*/exchange.txt) into the exchange.txt that
# mkevidence reads: one whole SPDM message a line, nothing after it.
#
# Those recordings were taken at the DOE mailbox, so each line is a DOE data
# object's payload: the SPDM message followed by 0-3 zero bytes that pad it
# to a dword. An SPDM transcript holds the messages, not the padding, so the
# padding must go; but a byte of padding and a zero byte of the message look
# alike, so the only sound cut is at the length the message gives itself.
# That length is computed here from each message's own fields, by the
# message formats of DMTF DSP0274 (1.1 to 1.3), with the negotiated version,
# hash and signature sizes carried along from VERSION/ALGORITHMS the way a
# requester learns them. It is written from the spec, on purpose apart from
# the C code it tests (spdm.c, verify.c): were the verifier to misread a
# length, a cut derived from its reading would hide that.
#
# Anything it cannot account for is refused rather than guessed at: a line
# shorter than the length its fields give, more than 3 bytes left over, a
# non-zero byte in the padding, a payload that is not whole dwords, a
# message it has no rule for, or a version it does not know.
#
# Comment lines are kept. The CHALLENGE and GET_MEASUREMENTS comments get
# "nonce=HEX", read from the request, which tests/run.sh passes to --nonce.

import sys

SPDM_VERSIONS = (0x11, 0x12, 0x13)
NONCE = 32
CONTEXT = 8	# RequesterContext, SPDM 1.3 CHALLENGE and measurements

# DSP0274 BaseHashAlgo bits: digest sizes
HASH_LEN = {0: 32, 1: 48, 2: 64, 3: 32, 4: 48, 5: 64, 6: 32}
# DSP0274 BaseAsymAlgo bits: signature sizes
SIG_LEN = {0: 256, 1: 256, 2: 384, 3: 384, 4: 64, 5: 512, 6: 512,
           7: 96, 8: 132, 9: 64, 10: 64, 11: 114}

NAMES = {
    0x84: "GET_VERSION", 0x04: "VERSION",
    0xe1: "GET_CAPABILITIES", 0x61: "CAPABILITIES",
    0xe3: "NEGOTIATE_ALGORITHMS", 0x63: "ALGORITHMS",
    0x81: "GET_DIGESTS", 0x01: "DIGESTS",
    0x82: "GET_CERTIFICATE", 0x02: "CERTIFICATE",
    0x83: "CHALLENGE", 0x03: "CHALLENGE_AUTH",
    0xe0: "GET_MEASUREMENTS", 0x60: "MEASUREMENTS",
}


class Refused(Exception):
    pass


def le(b, off, n):
    return int.from_bytes(b[off:off + n], "little")


def one_bit(mask, table, what):
    """A negotiated algorithm is exactly one bit of the selection"""
    bits = [i for i in range(32) if mask >> i & 1]
    if len(bits) != 1 or bits[0] not in table:
        raise Refused("%s selection 0x%08x is not one known algorithm" % (what, mask))
    return table[bits[0]]


class Conn:
    """What the requester knows at each point of the connection"""

    def __init__(self):
        self.offered = []	# VERSION's entries this script knows
        self.ver = None		# negotiated: the version byte after VERSION
        self.hlen = None
        self.slen = None
        self.chal_summary = None	# CHALLENGE Param2: summary hash asked for
        self.meas_signed = None		# GET_MEASUREMENTS Param1 bit 0

    def need(self, m, n):
        """@m must hold at least the @n bytes its fields were read from"""
        if len(m) < n:
            raise Refused("%s: %d bytes, its fixed fields alone take %d"
                          % (NAMES[m[1]], len(m), n))

    def need_algs(self, m):
        if self.hlen is None:
            raise Refused("%s before ALGORITHMS: hash and signature sizes unknown"
                          % NAMES[m[1]])

    def length(self, m):
        """The SPDM length of message @m (a payload that may be padded)"""
        if len(m) < 4:
            raise Refused("shorter than an SPDM header")
        code = m[1]
        if code not in NAMES:
            raise Refused("message code 0x%02x: no length rule for it" % code)
        if code == 0xe1 and self.ver is None:
            # the requester picks the version: its first message after
            # VERSION, one of those offered
            if m[0] not in self.offered:
                raise Refused("GET_CAPABILITIES version 0x%02x not offered" % m[0])
            self.ver = m[0]
        if code in (0x84, 0x04):
            # GET_VERSION and VERSION are always version 1.0
            if m[0] != 0x10:
                raise Refused("%s with version 0x%02x, not 0x10" % (NAMES[code], m[0]))
        elif self.ver is None:
            raise Refused("%s before VERSION" % NAMES[code])
        elif m[0] != self.ver:
            raise Refused("%s with version 0x%02x, negotiated 0x%02x"
                          % (NAMES[code], m[0], self.ver))
        v = self.ver

        if code == 0x84:
            return 4
        if code == 0x04:
            # Reserved, VersionNumberEntryCount, then 2 bytes an entry
            self.need(m, 6)
            n = 6 + 2 * m[5]
            self.need(m, n)
            entries = [le(m, 6 + 2 * i, 2) >> 8 for i in range(m[5])]
            known = [e for e in entries if e in SPDM_VERSIONS]
            if not known:
                raise Refused("VERSION offers %s, none of 1.1-1.3"
                              % ["0x%02x" % e for e in entries])
            self.offered = known
            return n
        if code == 0xe1:
            # 1.1: CTExponent and Flags (12); 1.2+: DataTransferSize and
            # MaxSPDMmsgSize too (20)
            return 12 if v == 0x11 else 20
        if code == 0x61:
            if v == 0x13 and m[2] & 1:
                raise Refused("CAPABILITIES with the 1.3 SupportedAlgorithms block")
            return 12 if v == 0x11 else 20
        if code in (0xe3, 0x63):
            # both carry their own Length at offset 4
            self.need(m, 6)
            n = le(m, 4, 2)
            if code == 0x63:
                self.need(m, 20)
                self.hlen = one_bit(le(m, 16, 4), HASH_LEN, "BaseHashSel")
                self.slen = one_bit(le(m, 12, 4), SIG_LEN, "BaseAsymSel")
            return n
        if code == 0x81:
            return 4
        if code == 0x01:
            # one digest per slot of the mask in Param2 (1.3: the
            # ProvisionedSlotMask); the 1.3 multi-key fields would not be
            # accounted for and so are refused as too much padding
            self.need_algs(m)
            return 4 + self.hlen * bin(m[3]).count("1")
        if code == 0x82:
            # SlotID, Offset, Length
            return 8
        if code == 0x02:
            self.need(m, 8)
            return 8 + le(m, 4, 2)
        if code == 0x83:
            self.need(m, 4)
            self.chal_summary = m[3]
            return 4 + NONCE + (CONTEXT if v >= 0x13 else 0)
        if code == 0x03:
            self.need_algs(m)
            if self.chal_summary is None:
                raise Refused("CHALLENGE_AUTH without a CHALLENGE")
            # CertChainHash, Nonce, MeasurementSummaryHash (if asked for)
            off = 4 + self.hlen + NONCE + (self.hlen if self.chal_summary else 0)
            self.need(m, off + 2)
            off += 2 + le(m, off, 2)		# OpaqueDataLength, OpaqueData
            if v >= 0x13:
                off += CONTEXT
            self.chal_summary = None
            return off + self.slen
        if code == 0xe0:
            self.meas_signed = bool(m[2] & 1)
            n = 4
            if self.meas_signed:
                n += NONCE + 1			# Nonce, SlotIDParam (1.1+)
            if v >= 0x13:
                n += CONTEXT			# always there in 1.3
            return n
        if code == 0x60:
            self.need_algs(m)
            if self.meas_signed is None:
                raise Refused("MEASUREMENTS without a GET_MEASUREMENTS")
            # NumberOfBlocks, MeasurementRecordLength (3 bytes), record,
            # Nonce (there since 1.1 signed or not), OpaqueDataLength,
            # OpaqueData, RequesterContext (1.3), Signature (if asked for)
            self.need(m, 8)
            off = 8 + le(m, 5, 3) + NONCE
            self.need(m, off + 2)
            off += 2 + le(m, off, 2)
            if v >= 0x13:
                off += CONTEXT
            if self.meas_signed:
                off += self.slen
            self.meas_signed = None
            return off
        raise Refused("message code 0x%02x: no length rule for it" % code)


def unpad(lines):
    conn = Conn()
    out = []
    comment = None
    in_flow1 = False
    header = True

    def flush_comment(extra=""):
        nonlocal comment
        if comment is not None:
            out.append(comment + extra)
        comment = None

    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if line.startswith("# --- flow 1"):
            in_flow1 = True
            header = False
            out.append("# --- flow 1 of the recording, DOE padding removed")
            continue
        if line.startswith("# --- flow"):
            if in_flow1:
                break
            continue
        if header and line.startswith("#"):
            if not out:
                out.append("# Flow 1 of the recording below, each message cut to the SPDM length"
                           " its fields give")
                out.append("# (DOE padding removed) by tests/unpad_exchange.py. The recording's"
                           " header:")
            out.append(line)
            continue
        if not in_flow1 or not line.strip():
            continue
        if line.startswith("#"):
            flush_comment()
            comment = line
            continue
        if line[:2] not in ("> ", "< "):
            raise Refused("line %d: neither a comment nor a message" % lineno)
        try:
            p = bytes.fromhex(line[2:].strip())
        except ValueError:
            raise Refused("line %d: not hex" % lineno)
        try:
            if len(p) % 4:
                raise Refused("%d bytes: a DOE payload is whole dwords" % len(p))
            n = conn.length(p)
            if n > len(p):
                raise Refused("%s: its fields give %d bytes, the line has %d"
                              % (NAMES[p[1]], n, len(p)))
            pad = p[n:]
            if len(pad) > 3:
                raise Refused("%s: %d bytes after its %d: DOE padding is 0-3"
                              % (NAMES[p[1]], len(pad), n))
            if any(pad):
                raise Refused("%s: the padding after its %d bytes is not zero: %s"
                              % (NAMES[p[1]], n, pad.hex()))
            if (line[0] == ">") != (p[1] >= 0x80):
                raise Refused("%s on the wrong side (%s)" % (NAMES[p[1]], line[0]))
        except Refused as e:
            raise Refused("line %d: %s" % (lineno, e))
        extra = " [%d bytes, %d of DOE padding removed]" % (n, len(pad))
        if p[1] in (0x83, 0xe0) and n >= 4 + NONCE and (p[1] == 0x83 or p[2] & 1):
            extra += " nonce=" + p[4:4 + NONCE].hex()
        if comment is None:
            comment = "# " + NAMES[p[1]]
        flush_comment(extra)
        out.append(line[:2] + p[:n].hex())
    if not in_flow1:
        raise Refused("no \"# --- flow 1\" line")
    return out


def main():
    if len(sys.argv) != 3:
        print("usage: unpad_exchange.py RECORDING.TXT OUT.TXT", file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1]) as f:
            out = unpad(f.readlines())
    except (Refused, OSError) as e:
        print("unpad_exchange.py: %s: %s" % (sys.argv[1], e), file=sys.stderr)
        return 1
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
