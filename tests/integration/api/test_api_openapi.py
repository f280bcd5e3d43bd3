"""The OpenAPI document describes the API."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_the_openapi_document_loads_and_names_each_routes_action(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    paths = document["paths"]
    assert "/api/v1/workspaces/{workspace_id}/reports/{report_id}/approve" in paths
    assert paths["/api/v1/workspaces/{workspace_id}/settings"]["put"]["x-required-action"] == "edit_settings"
    assert "HTTPBearer" in document["components"]["securitySchemes"]
