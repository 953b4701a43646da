// Starts GOV.UK Frontend's components. A module script runs only in browsers that support ES
// modules, which is GOV.UK Frontend's test of support, so the class it checks is set here
// (instead of the usual inline script, which the Content Security Policy forbids).
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
