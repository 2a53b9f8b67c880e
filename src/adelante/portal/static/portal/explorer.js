/* The explorer's filters are folded into one "Filter (n)" control so that on a phone the
   first result is in the first screen; where there is room (600 px and up) they start open. */
(function () {
  "use strict";
  var filters = document.querySelector("details.more-filters");
  if (filters && window.matchMedia && window.matchMedia("(min-width: 37.5rem)").matches) {
    filters.open = true;
  }
})();
