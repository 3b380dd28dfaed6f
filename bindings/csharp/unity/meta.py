#!/usr/bin/env python3
"""Unity .meta files of the com.gamecrypt package.

Unity needs a .meta file next to every file and folder of a package (an immutable package
cannot get them generated). This script writes them with GUIDs derived from the path (stable
across runs), and the PluginImporter settings of the native library for every platform, whose
libraries are not committed (scripts/test-csharp.sh copies the Linux one from target/release).

  meta.py --write   create or update the .meta files
  meta.py --check   fail if one is missing or differs (run by scripts/test-csharp.sh)
"""
import hashlib
import os
import sys

PKG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "com.gamecrypt")

# Native library per platform: path in the package -> PluginImporter platformData entries.
EDITOR_OFF = [("Any", "", 0, {}), ("Editor", "Editor", 0, {"DefaultValueInitialized": "true"})]


def desktop(os_name, standalone, cpu):
    return [
        ("Any", "", 0, {}),
        ("Editor", "Editor", 1, {"CPU": cpu, "DefaultValueInitialized": "true", "OS": os_name}),
        ("Standalone", "Linux64", 1 if standalone == "Linux64" else 0, {"CPU": "x86_64" if standalone == "Linux64" else "None"}),
        ("Standalone", "OSXUniversal", 1 if standalone == "OSXUniversal" else 0, {"CPU": "AnyCPU" if standalone == "OSXUniversal" else "None"}),
        ("Standalone", "Win64", 1 if standalone == "Win64" else 0, {"CPU": "x86_64" if standalone == "Win64" else "None"}),
    ]


PLUGINS = {
    "Plugins/Linux/x86_64/libgamecrypt.so": desktop("Linux", "Linux64", "x86_64"),
    "Plugins/Windows/x86_64/gamecrypt.dll": desktop("Windows", "Win64", "x86_64"),
    "Plugins/macOS/libgamecrypt.dylib": desktop("OSX", "OSXUniversal", "AnyCPU"),
    "Plugins/Android/arm64-v8a/libgamecrypt.so": EDITOR_OFF + [("Android", "Android", 1, {"CPU": "ARM64"})],
    "Plugins/Android/armeabi-v7a/libgamecrypt.so": EDITOR_OFF + [("Android", "Android", 1, {"CPU": "ARMv7"})],
    "Plugins/Android/x86_64/libgamecrypt.so": EDITOR_OFF + [("Android", "Android", 1, {"CPU": "X86_64"})],
    "Plugins/iOS/libgamecrypt.a": EDITOR_OFF + [("iPhone", "iOS", 1, {"AddToEmbeddedBinaries": "false", "CPU": "AnyCPU", "CompileFlags": "", "FrameworkDependencies": ""})],
}

TAIL = "  userData: \n  assetBundleName: \n  assetBundleVariant: \n"


def guid(rel):
    return hashlib.md5(("com.gamecrypt/" + rel).encode()).hexdigest()


def plugin_meta(rel):
    lines = [
        "fileFormatVersion: 2", "guid: " + guid(rel), "PluginImporter:", "  externalObjects: {}",
        "  serializedVersion: 2", "  iconMap: {}", "  executionOrder: {}", "  defineConstraints: []",
        "  isPreloaded: 0", "  isOverridable: 0", "  isExplicitlyReferenced: 0", "  validateReferences: 1",
        "  platformData:",
    ]
    for first, value, enabled, settings in PLUGINS[rel]:
        lines += ["  - first:", "      %s: %s" % (first, value), "    second:", "      enabled: %d" % enabled]
        if settings:
            lines.append("      settings:")
            lines += ["        %s: %s" % kv for kv in sorted(settings.items())]
        else:
            lines.append("      settings: {}")
    return "\n".join(lines) + "\n" + TAIL


def meta_for(rel, is_dir):
    head = "fileFormatVersion: 2\nguid: %s\n" % guid(rel)
    if is_dir:
        return head + "folderAsset: yes\nDefaultImporter:\n  externalObjects: {}\n" + TAIL
    if rel in PLUGINS:
        return plugin_meta(rel)
    if rel.endswith(".cs"):
        return head + ("MonoImporter:\n  externalObjects: {}\n  serializedVersion: 2\n  defaultReferences: []\n"
                       "  executionOrder: 0\n  icon: {instanceID: 0}\n") + TAIL
    if rel.endswith(".asmdef"):
        return head + "AssemblyDefinitionImporter:\n  externalObjects: {}\n" + TAIL
    if rel == "package.json":
        return head + "PackageManifestImporter:\n  externalObjects: {}\n" + TAIL
    return head + "TextScriptImporter:\n  externalObjects: {}\n" + TAIL


def wanted():
    metas = {}
    for rel in PLUGINS:
        parts = rel.split("/")
        for i in range(1, len(parts)):
            metas["/".join(parts[:i]) + ".meta"] = meta_for("/".join(parts[:i]), True)
        metas[rel + ".meta"] = meta_for(rel, False)
    for dirpath, dirnames, filenames in os.walk(PKG):
        # Samples~ is not imported by Unity (it is copied into Assets/ when the user imports it).
        dirnames[:] = [d for d in dirnames if not d.endswith("~") and not d.startswith(".")]
        reldir = os.path.relpath(dirpath, PKG)
        for d in dirnames:
            rel = os.path.normpath(os.path.join(reldir, d))
            metas[rel + ".meta"] = meta_for(rel, True)
        for f in filenames:
            rel = os.path.normpath(os.path.join(reldir, f))
            if f.endswith(".meta") or rel in PLUGINS:
                continue
            metas[rel + ".meta"] = meta_for(rel, False)
    return metas


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "--check"
    bad = []
    for rel, text in sorted(wanted().items()):
        path = os.path.join(PKG, rel)
        current = open(path).read() if os.path.exists(path) else None
        if current != text:
            if mode == "--write":
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as f:
                    f.write(text)
            else:
                bad.append(rel)
    if bad:
        sys.exit("Unity .meta files missing or stale (run bindings/csharp/unity/meta.py --write): " + ", ".join(bad))


if __name__ == "__main__":
    main()
