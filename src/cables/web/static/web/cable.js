/* Optional: keeps the "cite this" box in step with the paragraph in the address (#par4) and adds
   a copy button. The page works without it: each paragraph's "cite" link renders the box. */
(function () {
  "use strict";
  var box = document.getElementById("cite-whole");
  if (!box) { return; }
  var url = box.getAttribute("data-url");
  var head = box.getAttribute("data-head");

  function update() {
    var m = /^#par(\d+(?:-\d+)?)$/.exec(window.location.hash);
    var par = m && document.getElementById("par" + m[1]) ? m[1] : null;
    var target = url + (par ? "#par" + par : "");
    box.querySelector(".cite-text").textContent = par ? head + ", \u00b6 " + par + ". " + target : head + ". " + target;
    var link = box.querySelector(".cite-url");
    link.setAttribute("href", target);
    link.textContent = target;
    box.querySelector(".cite-par-number").textContent = par || "";
    Array.prototype.forEach.call(box.querySelectorAll(".cite-par"), function (el) { el.hidden = !par; });
  }

  if (navigator.clipboard) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cite-copy";
    button.textContent = "Copy the citation";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(box.querySelector(".cite-text").textContent).then(function () {
        button.textContent = "Copied";
        window.setTimeout(function () { button.textContent = "Copy the citation"; }, 2000);
      });
    });
    box.appendChild(button);
  }
  window.addEventListener("hashchange", update);
  update();
}());
