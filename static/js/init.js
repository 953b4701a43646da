// Starts GOV.UK Frontend's components. A module script runs only in browsers that support ES
// modules, which is GOV.UK Frontend's test of support, so the class it checks is set here
// (instead of the usual inline script, which the Content Security Policy forbids).
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Radios that reveal a follow-up question under the chosen one (GOV.UK's conditional reveal).
// GOV.UK Frontend's own radios put aria-expanded on each radio, which ARIA does not allow on a
// radio; here the question is only shown or hidden. It follows its radio in the page, so it is
// read next, and without scripts every question simply shows.
for (const group of document.querySelectorAll('[data-app-module="reveal-radios"]')) {
  const radios = group.querySelectorAll("input[type=radio][data-app-reveals]");
  const show = () => {
    for (const radio of radios) {
      const question = document.getElementById(radio.dataset.appReveals);
      question?.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
    }
  };
  group.addEventListener("change", show);
  show();
}
