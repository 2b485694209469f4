// 任务进度：每秒询问一次任务状态，完成后跳到结果（没有脚本时页面提示手动刷新）。
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll("[data-job]")) {
    const id = el.dataset.job;
    const started = Date.now();
    const tick = async () => {
      let state;
      try {
        const response = await fetch(`/jobs/${encodeURIComponent(id)}.json`, {credentials: "same-origin"});
        state = await response.json();
      } catch (e) {
        el.textContent = "暂时连不上服务器，稍后自动重试……";
        setTimeout(tick, 3000);
        return;
      }
      if (state.state === "queued") {
        el.textContent = `排队中（前面还有任务）…… ${Math.round((Date.now() - started) / 1000)} 秒`;
      } else if (state.state === "running") {
        el.textContent = `正在进行…… 已用 ${state.elapsed} 秒`;
      } else if (el.dataset.reload) {
        location.reload();
        return;
      } else if (state.state === "done" && el.dataset.next) {
        location.href = el.dataset.next;  // the page this server named when it queued the job
        return;
      } else {
        location.reload();
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }
});
