#!/usr/bin/env python3
"""Reads one dbtls scan JSON, one nmap ssl-enum-ciphers XML and optionally one sslscan XML (paths as arguments) and prints,
per scanner, whether its accepted (version, suite) set and each version's order equal dbtls', and the set difference.
Suites are compared by IANA code point where the scanner gives one (sslscan) and by IANA name otherwise (nmap)."""
import json
import sys
import xml.etree.ElementTree as ET

VERSIONS = {"SSLv3": "SSLv3", "TLSv1.0": "TLSv1.0", "TLSv1.1": "TLSv1.1", "TLSv1.2": "TLSv1.2", "TLSv1.3": "TLSv1.3"}


def dbtls(path):
    report = json.load(open(path))
    by_name = {v["version"]: [s["name"] for s in v["suites"]] for v in report["versions"] if v["accepted"]}
    by_id = {v["version"]: [int(s["id"], 16) for s in v["suites"]] for v in report["versions"] if v["accepted"]}
    names = {int(s["id"], 16): s["name"] for v in report["versions"] for s in v["suites"]}
    return by_name, by_id, names


def nmap(path):
    root = ET.parse(path).getroot()
    found = {}
    for script in root.iter("script"):
        if script.get("id") != "ssl-enum-ciphers":
            continue
        for version in script.findall("table"):
            ciphers = [t for t in version.findall("table") if t.get("key") == "ciphers"]
            names = []
            for table in ciphers[0].findall("table") if ciphers else []:
                name = next(e.text for e in table.findall("elem") if e.get("key") == "name")
                names.append(name.replace("TLS_AKE_WITH_", "TLS_"))
            found[version.get("key")] = names
    return found


def sslscan(path):
    text = open(path).read()
    root = ET.fromstring(text[text.index("<"):])
    found = {}
    for cipher in root.iter("cipher"):
        found.setdefault(cipher.get("sslversion"), []).append(int(cipher.get("id"), 16))
    return found


def compare(label, theirs, ours, show):
    pairs = lambda d: {(v, s) for v, suites in d.items() for s in suites}
    only_theirs = sorted(pairs(theirs) - pairs(ours))
    only_ours = sorted(pairs(ours) - pairs(theirs))
    same_order = all(theirs.get(v) == ours.get(v) for v in set(theirs) | set(ours))
    total = len(pairs(theirs))
    print(f"{label:<10} accepted {total:3d}  set equal: {'yes' if not only_theirs and not only_ours else 'no'}"
          f"  order equal: {'yes' if same_order else 'no'}")
    for v, s in only_theirs:
        print(f"  only {label}: {v} {show(s)}")
    for v, s in only_ours:
        print(f"  only dbtls: {v} {show(s)}")
    return not only_theirs and not only_ours and same_order


by_name, by_id, names = dbtls(sys.argv[1])
ok = compare("nmap", nmap(sys.argv[2]), by_name, str)
if len(sys.argv) > 3:
    ok = compare("sslscan", sslscan(sys.argv[3]), by_id, lambda i: names.get(i, f"0x{i:04X}")) and ok
sys.exit(0 if ok else 1)
