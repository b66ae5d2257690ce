import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { projectErrors } from "./NewProjectForm";

describe("projectErrors", () => {
  it("maps a 400's field messages to their fields", () => {
    const error = new ApiError(400, {
      detail: "language: 'x y' is not a BCP-47 tag",
      code: "invalid",
      errors: { language: ["'x y' is not a BCP-47 tag"], name: ["required"] },
    });
    expect(projectErrors(error)).toEqual({
      language: "'x y' is not a BCP-47 tag",
      name: "required",
    });
  });

  it("turns anything else into one general message", () => {
    expect(projectErrors(new ApiError(500, null))).toEqual({
      detail: "The project could not be created. Try again.",
    });
    expect(projectErrors(new Error("network"))).toHaveProperty("detail");
  });
});
