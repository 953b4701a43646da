// A report's preview on a narrow screen: each table scrolls sideways inside its own region
// (labelled by its caption or the heading before it, and focusable so that a keyboard can
// scroll it), never the page. The PDF is printed from the same HTML without this script.
for (const table of document.querySelectorAll("table")) {
  const region = document.createElement("div");
  const heading = table.closest("section, div")?.querySelector("h2, h3");
  const label = table.caption?.textContent || heading?.textContent || "Table";
  region.className = "preview-table";
  region.setAttribute("role", "region");
  region.setAttribute("aria-label", label.trim());
  region.tabIndex = 0;
  table.before(region);
  region.append(table);
}
