package dev.cnnlab.tracker.auth;

import jakarta.enterprise.context.RequestScoped;

/** Who made the current request: the name of the API token it carried, or null without one. */
@RequestScoped
public class Caller {
    private String name;

    public String name() {
        return name;
    }

    void set(String name) {
        this.name = name;
    }
}
