// Shared page behaviour. htmx sends the CSRF token from the body's hx-headers.
document.addEventListener("htmx:responseError", function (evt) {
  var status = evt.detail.xhr.status;
  var msg = status === 409 ? "该记录已被他人修改，请刷新后再试。" : status === 403 ? "您没有权限执行此操作。" : "操作未成功，请稍后再试。";
  var box = document.createElement("div");
  box.className = "alert alert-danger alert-dismissible fade show";
  box.setAttribute("role", "alert");
  box.textContent = msg;
  var main = document.querySelector("main");
  if (main) { main.prepend(box); }
});
