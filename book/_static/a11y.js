/* Quizzes for keyboard and screen-reader users (added to every page by
   tools/publish/offline_site.py; tests/test_accessibility.py checks the result).
   jupyterquiz draws its quizzes from the notebook's output while the page loads;
   this patches their markup as they appear:
   - the text box of a numeric question gets its label ("Type numeric answer here:"
     is a <label> that names no input);
   - the choices of a question are a radio group named by the question;
   - the feedback is a live region, so a screen reader reads "Correct" or "Incorrect"
     when an answer is chosen with Space or Enter;
   - on a page in another language, jupyterquiz's own English words (the numeric
     label, "Correct!") become that language's, from the page's book-quiz-words meta
     tag (tools/publish/offline_site.py fills it from locales/<lang>/site.yml),
     and so does the name sphinx-togglebutton gives a solution's toggle button
     ("Toggle hidden content").
 */
(function () {
  "use strict";
  var wordsTag = document.querySelector('meta[name="book-quiz-words"]');
  var words = wordsTag ? JSON.parse(wordsTag.content) : {};
  function translate(element) {
    var english = element.textContent.trim();
    if (Object.prototype.hasOwnProperty.call(words, english)) {
      element.textContent = words[english];
    }
  }
  function patchQuiz(quiz) {
    quiz.querySelectorAll(".InpLabel, .Feedback").forEach(translate);
    quiz.querySelectorAll(".InpLabel").forEach(function (label) {
      var input = label.parentElement.querySelector("input.Input-text");
      if (input && input.id && label.htmlFor !== input.id) label.htmlFor = input.id;
    });
    quiz.querySelectorAll(".Answer").forEach(function (answers) {
      if (!answers.querySelector("input[type=radio]")) return;
      var question = quiz.querySelector("[id^=quizQn]");
      if (answers.getAttribute("role") !== "radiogroup") {
        answers.setAttribute("role", "radiogroup");
      }
      if (question && answers.getAttribute("aria-labelledby") !== question.id) {
        answers.setAttribute("aria-labelledby", question.id);
      }
    });
    quiz.querySelectorAll(".Feedback").forEach(function (feedback) {
      if (feedback.getAttribute("role") !== "status") {
        feedback.setAttribute("role", "status");
        feedback.setAttribute("aria-live", "polite");
      }
    });
  }
  function patchQuizzes() {
    document.querySelectorAll(".Quiz").forEach(patchQuiz);
    document.querySelectorAll("button.toggle-button[aria-label]").forEach(function (b) {
      var english = b.getAttribute("aria-label");
      if (Object.prototype.hasOwnProperty.call(words, english)) {
        b.setAttribute("aria-label", words[english]);
      }
    });
  }
  new MutationObserver(patchQuizzes).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });

  document.addEventListener("DOMContentLoaded", patchQuizzes);
})();
