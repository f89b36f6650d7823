package dev.cnnlab.tracker.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** cnnlab.auth.enabled=false (the %dev profile's setting) lets writes through without a token. */
@QuarkusTest
@TestProfile(AuthDisabledTest.AuthDisabled.class)
@WithTestResource(PostgresResource.class)
class AuthDisabledTest {
    public static class AuthDisabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cnnlab.auth.enabled", "false");
        }
    }

    @Test
    void writesNeedNoTokenAndRecordNoAuthor() {
        RestAssured.replaceFiltersWith(List.of());
        long id = given().contentType(ContentType.JSON).body(Fixtures.spec(Fixtures.cifarFolder().toString()))
                .post("/api/experiments").then().statusCode(201).body("createdBy", nullValue())
                .extract().jsonPath().getLong("id");
        given().post("/api/experiments/" + id + "/cancel").then().statusCode(200)
                .body("runsByStatus.CANCELLED", equalTo(4));
    }
}
