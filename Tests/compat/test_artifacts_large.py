"""A 64 MiB artifact survives upload and download byte for byte."""

import hashlib
import os

import mlflow

SIZE = 64 * 1024 * 1024


def _sha256(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def test_64_mib_round_trip(client, exp_id, tmp_path):
    src = tmp_path / "blob.bin"
    # Random bytes in 1 MiB pieces: incompressible, and no two runs of the suite upload the same file.
    with open(src, "wb") as f:
        for _ in range(SIZE >> 20):
            f.write(os.urandom(1 << 20))
    want = _sha256(src)
    rid = client.create_run(exp_id).info.run_id
    client.log_artifact(rid, str(src), artifact_path="big")
    (info,) = client.list_artifacts(rid, "big")
    assert info.path == "big/blob.bin" and info.file_size == SIZE
    out = mlflow.artifacts.download_artifacts(run_id=rid, artifact_path="big/blob.bin",
                                              dst_path=str(tmp_path / "dl"))
    assert os.path.getsize(out) == SIZE
    assert _sha256(out) == want
