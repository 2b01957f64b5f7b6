"""The model registry through the official client (MLFLOW_API.md §6): register, version, alias, load by alias,
tags, search, stages, rename and delete."""

import mlflow
import pandas as pd
import pytest
from helpers import unique
from mlflow.exceptions import MlflowException


class Times(mlflow.pyfunc.PythonModel):
    """Multiplies every input by k, so each version is told apart by its predictions."""

    def __init__(self, k):
        self.k = k

    def predict(self, context, model_input, params=None):
        return model_input * self.k


def _log(name, k):
    with mlflow.start_run() as run:
        info = mlflow.pyfunc.log_model(name="model", python_model=Times(k), pip_requirements=["mlflow"],
                                       registered_model_name=name)
    return run, info


def _predict(uri):
    return mlflow.pyfunc.load_model(uri).predict(pd.DataFrame({"v": [1.0]}))["v"].tolist()


def test_registry_round_trip(client, exp_name):
    mlflow.set_experiment(exp_name)
    name = unique("registry")
    run1, info1 = _log(name, 2)
    _, info2 = _log(name, 3)
    assert [str(info1.registered_model_version), str(info2.registered_model_version)] == ["1", "2"]

    # A third version from a runs:/ URI, the other way users register.
    mv3 = mlflow.register_model(f"runs:/{run1.info.run_id}/model", name)
    assert str(mv3.version) == "3" and mv3.status == "READY"
    assert _predict(f"models:/{name}/3") == [2.0]

    # Aliases: load by alias, move it, delete it.
    client.set_registered_model_alias(name, "champion", "2")
    assert _predict(f"models:/{name}@champion") == [3.0]
    assert client.get_model_version_by_alias(name, "champion").version == "2"
    client.set_registered_model_alias(name, "champion", "1")
    assert _predict(f"models:/{name}@champion") == [2.0]
    client.delete_registered_model_alias(name, "champion")
    with pytest.raises(MlflowException) as missing_alias:
        client.get_model_version_by_alias(name, "champion")
    # MLflow's answer for a missing alias of an existing model.
    assert missing_alias.value.error_code == "INVALID_PARAMETER_VALUE"

    # Tags on the model and on a version.
    client.set_registered_model_tag(name, "team", "quant")
    client.set_model_version_tag(name, "2", "bits", "4")
    assert client.get_registered_model(name).tags == {"team": "quant"}
    assert client.get_model_version(name, "2").tags == {"bits": "4"}
    client.delete_model_version_tag(name, "2", "bits")
    assert client.get_model_version(name, "2").tags == {}

    # Search: by name pattern and tag (the client adds its prompt-exclusion clause), and versions by name.
    found = client.search_registered_models(f"name LIKE '{name[:12]}%' AND tags.team = 'quant'")
    assert [m.name for m in found] == [name]
    versions = client.search_model_versions(f"name = '{name}'")
    assert sorted(v.version for v in versions) == ["1", "2", "3"]
    assert client.search_registered_models("tags.team = 'nobody'") == []

    # Stages and latest versions.
    client.transition_model_version_stage(name, "2", "Production")
    latest = client.get_latest_versions(name, stages=["Production"])
    assert [v.version for v in latest] == ["2"]
    assert _predict(f"models:/{name}/Production") == [3.0]

    # Descriptions.
    client.update_registered_model(name, description="multiplies")
    client.update_model_version(name, "1", description="first")
    assert client.get_registered_model(name).description == "multiplies"
    assert client.get_model_version(name, "1").description == "first"

    # Rename keeps the versions.
    renamed = unique("renamed")
    client.rename_registered_model(name, renamed)
    assert sorted(v.version for v in client.search_model_versions(f"name = '{renamed}'")) == ["1", "2", "3"]
    with pytest.raises(MlflowException) as gone:
        client.get_registered_model(name)
    assert gone.value.error_code == "RESOURCE_DOES_NOT_EXIST"

    # Delete one version, then the whole model with everything under it.
    client.delete_model_version(renamed, "3")
    assert sorted(v.version for v in client.search_model_versions(f"name = '{renamed}'")) == ["1", "2"]
    client.delete_registered_model(renamed)
    assert client.search_model_versions(f"name = '{renamed}'") == []
    with pytest.raises(MlflowException) as deleted:
        client.get_registered_model(renamed)
    assert deleted.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_registry_errors(client):
    name = unique("dup")
    client.create_registered_model(name)
    with pytest.raises(MlflowException) as duplicate:
        client.create_registered_model(name)
    assert duplicate.value.error_code == "RESOURCE_ALREADY_EXISTS"
    with pytest.raises(MlflowException) as missing:
        client.get_model_version(name, "7")
    assert missing.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(MlflowException) as reserved:
        client.set_registered_model_alias(name, "latest", "1")
    assert reserved.value.error_code == "INVALID_PARAMETER_VALUE"
