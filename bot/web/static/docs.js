/* /docs: Swagger UI from the fastapi-offline package, on a page with a language, landmarks
   and readable contrast (see docs.css). deepLinking is off: its links inside the operation
   buttons are nested interactive controls. */
(function () {
  "use strict";
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({ // eslint-disable-line no-undef
    url: root.getAttribute("data-openapi"),
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: false,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis], // eslint-disable-line no-undef
  });
})();
