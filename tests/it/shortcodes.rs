//! Shortcodes and Jekyll's Liquid in essays: Zola's, Hugo's and Jekyll's calls reach the site's
//! `templates/shortcodes/NAME.html` (or a theme's built-in), block calls come out as HTML
//! blocks and inline ones stay in their sentence, Liquid works inside link and image
//! destinations, and anything vellum cannot render is a warning at its file and line (and a
//! `vellum check` problem) and shown to readers as text.

use std::time::{Duration, Instant};

use crate::support::*;

fn site(body: &str) -> Site {
    Site::new()
        .file(
            "vellum.toml",
            "title = \"S\"\nbase_url = \"https://example.org/blog/\"\n",
        )
        .file("content/a.md", &essay("On \"Walking\"", "2024-01-01", body))
}

/// The essay's body HTML, between the article's body tags.
fn body(site: &Site) -> String {
    let page = site.read("a/index.html");
    let start = page.find("<div class=\"essay-body").expect("an essay body");
    let end = page[start..].find("</article>").expect("its end") + start;
    page[start..end].to_string()
}

/// A template that shows what it was given.
const ECHO: &str = "<div class=\"echo\">k={{ key | default(value=\"-\") }} n={{ n | default(value=\"-\") }} \
flag={{ flag | default(value=\"-\") }} args={{ args | join(sep=\",\") }} include.key={{ include.key | default(value=\"-\") }}\
{% if body %} body=[{{ body | markdown(inline=true) | safe }}]{% endif %}</div>";

#[test]
fn zola_calls_inline_and_with_a_body_reach_the_sites_template() {
    let site = site(
        "Before {{ echo(key=\"v\", n=3, flag=true) }} after.\n\n\
         {% echo(key=\"b\") %}\nSome *Markdown*.\n{% end %}\n",
    )
    .file("templates/shortcodes/echo.html", ECHO);
    let run = site.build(&[]).success();
    assert!(!run.stderr.contains("warning"), "{run}");
    let html = body(&site);
    assert!(
        html.contains(
            "<p>Before <div class=\"echo\">k=v n=3 flag=true args= include.key=v</div> after.</p>"
        ),
        "the inline call stays in its paragraph: {html}"
    );
    assert!(
        html.contains("\n<div class=\"echo\">k=b n=- flag=- args= include.key=b body=[Some <em>Markdown</em>.]</div>"),
        "the block call is an HTML block, its body Markdown: {html}"
    );
    assert!(!html.contains("<p><div"), "{html}");
}

#[test]
fn hugo_calls_positional_closing_self_closing_and_markdown() {
    let site = site(
        "{{< echo \"one\" two key=\"v\" >}}\n\n\
         {{< echo \"x\" >}}Inner **bold**{{< /echo >}}\n\n\
         {{< echo />}}\n\n\
         {{% echo %}}*Body*{{% /echo %}}\n",
    )
    .file("templates/shortcodes/echo.html", ECHO);
    site.build(&[]).success();
    let html = body(&site);
    assert!(html.contains("args=one,two include.key=v</div>"), "{html}");
    assert!(
        html.contains("args=x include.key=- body=[Inner <strong>bold</strong>]"),
        "{html}"
    );
    assert!(
        html.contains("k=- n=- flag=- args= include.key=-</div>"),
        "{html}"
    );
    assert!(html.contains("body=[<em>Body</em>]"), "{html}");
    assert!(!html.contains("{{"), "{html}");
}

#[test]
fn jekyll_include_passes_its_arguments_as_include() {
    let site = site(
        "{% include echo.html key=\"v\" n=2 %}\n\nTitle: {% include echo.html key=page.title %}\n",
    )
    .file("templates/shortcodes/echo.html", ECHO);
    site.build(&[]).success();
    let html = body(&site);
    assert!(
        html.contains("k=v n=2 flag=- args= include.key=v</div>"),
        "{html}"
    );
    assert!(
        html.contains("include.key=On &quot;Walking&quot;</div>"),
        "{html}"
    );
}

#[test]
fn liquid_variables_and_url_filters_work_in_link_and_image_destinations() {
    let site = site(
        "![A chart]({{ '/assets/x.png' | relative_url }})\n\n\
         [Home]({{ site.baseurl }}/) and [abs]({{ \"/a/\" | absolute_url }}) and \
         [pre]({{ \"/p/\" | prepend: site.baseurl }}).\n\n\
         <img src=\"{{ site.baseurl }}/assets/y.png\" alt=\"y\">\n\n\
         From {{ site.url }}, on {{ page.title }}.\n",
    );
    site.build(&[]).success();
    let page = site.html("a/index.html");
    assert_eq!(
        attrs(&page, "article .essay-body img", "src"),
        ["/blog/assets/x.png", "/blog/assets/y.png"]
    );
    assert_eq!(
        attrs(&page, "article .essay-body a", "href"),
        ["/blog/", "https://example.org/blog/a/", "/blog/p/"]
    );
    let text = only_text(&page, "article .essay-body");
    assert!(
        text.contains("From https://example.org, on On “Walking”."),
        "{text}"
    );
}

#[test]
fn raw_shows_calls_as_written_in_prose_and_in_code() {
    let site = site(
        "Write {% raw %}`{{ site.title }}`{% endraw %} in a template.\n\n\
         ```liquid\n{% raw %}\n{% if x %}{{ y }}{% endif %}\n{% endraw %}\n```\n\n\
         {{< raw >}}<span class=\"kept\">{{ z }}</span>{{< /raw >}}\n",
    );
    let run = site.build(&[]).success();
    assert!(!run.stderr.contains("warning: content"), "{run}");
    let page = site.html("a/index.html");
    assert_eq!(texts(&page, "article p code"), ["{{ site.title }}"]);
    let code = only_text(&page, "article pre");
    assert!(code.contains("{% if x %}{{ y }}{% endif %}"), "{code}");
    assert!(
        !code.contains("raw"),
        "Jekyll drops the raw tags in code too: {code}"
    );
    assert_eq!(only_text(&page, "article span.kept"), "{{ z }}");
}

#[test]
fn highlight_calls_become_fenced_code_with_their_options() {
    let site = site(
        "{% highlight python linenos %}\nprint(\"{{ x }}\")\n{% endhighlight %}\n\n\
         {{< highlight go \"linenos=table,hl_lines=8 15-17\" >}}\npackage main\n{{< /highlight >}}\n",
    );
    let run = site.build(&[]).success();
    assert!(!run.stderr.contains("warning: content"), "{run}");
    let page = site.html("a/index.html");
    assert_eq!(count(&page, "article pre"), 2);
    assert_eq!(attrs(&page, "article pre", "data-lang"), ["python", "go"]);
    assert!(only_text(&page, "article pre[data-lang=python]").contains("print(\"{{ x }}\")"));
    assert!(!body(&site).contains("highlight"));
}

#[test]
fn hugo_highlight_options_become_the_fences_info_string() {
    // The "code" pass reads the info string; this checks what it is given, through the
    // library, since the HTML shows only what that pass makes of it.
    let text = "{{< highlight go \"linenos=table,hl_lines=8 15-17\" >}}\npackage main\n{{< /highlight >}}\n";
    let expanded = vellum::markdown::shortcodes::expand(text, &builtin_scope());
    assert_eq!(
        expanded.text,
        "```go {linenos=table,hl_lines=[8,\"15-17\"]}\npackage main\n```\n"
    );
    let jekyll = "{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\n";
    let expanded = vellum::markdown::shortcodes::expand(jekyll, &builtin_scope());
    assert_eq!(expanded.text, "```ruby linenos\nputs 1\n```\n");
}

fn builtin_scope() -> vellum::markdown::shortcodes::Scope {
    vellum::markdown::shortcodes::Scope {
        library: Some(std::sync::Arc::new(
            vellum::markdown::shortcodes::Library::default(),
        )),
        page: Default::default(),
    }
}

#[test]
fn figure_takes_hugos_and_zolas_arguments() {
    let site = site(
        "{{< figure src=\"/blog/a.png\" alt=\"An A\" caption=\"The *first*\" link=\"/blog/\" width=\"40\" class=\"wide\" >}}\n\n\
         {{ figure(src=\"/blog/b.png\", title=\"Bee\") }}\n",
    );
    site.build(&[]).success();
    let page = site.html("a/index.html");
    assert_eq!(count(&page, "article figure"), 2);
    assert_eq!(
        count(&page, "article p figure"),
        0,
        "block calls are not in <p>"
    );
    assert_eq!(
        attrs(&page, "article figure.wide > a > img", "alt"),
        ["An A"]
    );
    assert_eq!(attrs(&page, "article figure img", "width"), ["40"]);
    assert_eq!(texts(&page, "article figcaption"), ["The first", "Bee"]);
    assert_eq!(count(&page, "article figcaption em"), 1);
}

#[test]
fn videos_are_links_that_ask_no_other_site_unless_the_site_embeds_them() {
    let calls = "{{< youtube dQw4w9WgXcQ >}}\n\n{{< youtube id=\"abc\" title=\"A talk\" >}}\n\n\
                 {{ vimeo(id=\"146022717\") }}\n\nInline {{< youtube xyz >}} here.\n";
    let site = site(calls);
    site.build(&[]).success();
    let page = site.html("a/index.html");
    assert_eq!(count(&page, "iframe"), 0);
    assert_eq!(
        attrs(&page, "article .video-card a", "href"),
        [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=abc",
            "https://vimeo.com/146022717",
            "https://www.youtube.com/watch?v=xyz",
        ]
    );
    assert_eq!(
        texts(&page, "article .video-card a"),
        [
            "Watch on YouTube",
            "A talk",
            "Watch on Vimeo",
            "Watch on YouTube"
        ]
    );
    assert_eq!(
        count(&page, "article p span.video-card"),
        1,
        "inline stays inline"
    );
    let html = site.read("a/index.html");
    assert!(
        !html.contains("src=\"https://"),
        "nothing loaded from elsewhere"
    );

    site.write(
        "vellum.toml",
        "title = \"S\"\nbase_url = \"https://example.org/blog/\"\n[shortcodes]\nembed_videos = true\n",
    );
    site.build(&[]).success();
    let page = site.html("a/index.html");
    let sources = attrs(&page, "article iframe", "src");
    assert_eq!(sources.len(), 4);
    assert_eq!(
        sources[0],
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    );
    assert_eq!(sources[2], "https://player.vimeo.com/video/146022717?dnt=1");
    assert_eq!(attrs(&page, "article iframe", "title")[1], "A talk");
}

#[test]
fn an_unknown_shortcodes_setting_is_an_error_at_its_line() {
    let site = site("x").file(
        "vellum.toml",
        "title = \"S\"\n[shortcodes]\nembed_video = true\n",
    );
    let run = site.build(&[]).failure();
    run.stderr_has("vellum.toml:3");
}

#[test]
fn gist_and_tweet_are_links_with_their_text() {
    let site = site(
        "{{< gist spf13 7896402 img.html >}}\n\n\
         {{< tweet user=\"SanDiegoZoo\" id=\"1453110110599868418\" >}}\n\n\
         {{< tweet 877500564405444608 >}}\n\n\
         {{< tweet golang 877500564405444608 >}}\n",
    );
    site.build(&[]).success();
    let page = site.html("a/index.html");
    assert_eq!(
        attrs(&page, "article .gist-link a", "href"),
        ["https://gist.github.com/spf13/7896402#file-img-html"]
    );
    assert_eq!(texts(&page, "article .gist-link a"), ["img.html by spf13"]);
    assert_eq!(
        attrs(&page, "article .tweet a", "href"),
        [
            "https://x.com/SanDiegoZoo/status/1453110110599868418",
            "https://x.com/i/status/877500564405444608",
            "https://x.com/golang/status/877500564405444608",
        ]
    );
    assert_eq!(
        texts(&page, "article .tweet a")[0],
        "Post by @SanDiegoZoo on X"
    );
    assert_eq!(count(&page, "script"), 0);
}

#[test]
fn details_folds_its_markdown_body() {
    let site = site(
        "{{< details summary=\"More\" >}}\nHidden *text*.\n{{< /details >}}\n\n{% details(summary=\"Zola\", open=true) %}\nB\n{% end %}\n",
    );
    site.build(&[]).success();
    let page = site.html("a/index.html");
    assert_eq!(texts(&page, "article details > summary"), ["More", "Zola"]);
    assert_eq!(count(&page, "article details em"), 1);
    assert_eq!(count(&page, "article details[open]"), 1);
}

#[test]
fn alert_admonition_callout_and_note_share_the_callout_markup() {
    let site = site(
        "{{< alert \"circle-info\" >}}\nCongo **alert**.\n{{< /alert >}}\n\n\
         {% admonition(type=\"warning\", title=\"Careful\") %}\nTabi *body*.\n{% end %}\n\n\
         {{ admonition(type=\"tip\", text=\"Inline text\") }}\n\n\
         {{< callout \"important\" >}}\nC\n{{< /callout >}}\n\n\
         {{< note >}}\nN\n{{< /note >}}\n",
    );
    site.build(&[]).success();
    let page = site.html("a/index.html");
    let classes = attrs(&page, "article div.callout[role=note]", "class");
    assert_eq!(
        classes,
        [
            "callout callout-alert",
            "callout callout-warning",
            "callout callout-tip",
            "callout callout-important",
            "callout callout-note",
        ]
    );
    assert_eq!(
        texts(&page, "article .callout > p.callout-title"),
        ["Alert", "Careful", "Tip", "Important", "Note"]
    );
    assert_eq!(count(&page, "article .callout-alert strong"), 1);
    assert_eq!(count(&page, "article .callout-warning em"), 1);
    assert_eq!(count(&page, "article p .callout"), 0);
}

#[test]
fn an_unknown_shortcode_warns_at_its_line_shows_as_text_and_check_reports_it() {
    let site = site("Fine.\n\n{{< nope \"x\" >}}\n\nAnd {{ missing() }} and {{ site.posts }}.\n");
    let run = site.build(&[]).success();
    // The essay's front matter is 4 lines and a blank one: the body's lines are 6 on.
    run.stderr_has("content/a.md:8: unknown shortcode `nope`");
    run.stderr_has("content/a.md:10: unknown shortcode `missing`");
    run.stderr_has("content/a.md:10: `{{ site.posts }}` is Liquid vellum does not know");
    let page = site.html("a/index.html");
    assert_eq!(
        texts(&page, "article .shortcode-missing"),
        ["{{< nope \"x\" >}}", "{{ missing() }}", "{{ site.posts }}"]
    );
    let check = site.vellum(&["check"]).no_panic();
    assert!(
        check
            .stdout
            .lines()
            .chain(check.stderr.lines())
            .any(|l| l.starts_with("content/a.md:8: warning[shortcode]: unknown shortcode `nope`")),
        "{check}"
    );
    let json = site.vellum(&["check", "--format", "json"]).no_panic();
    assert!(json.stdout.contains("\"kind\": \"shortcode\""), "{json}");
    site.write(
        "vellum.toml",
        "title = \"S\"\nbase_url = \"https://example.org/blog/\"\n[check]\ndeny = [\"shortcode\"]\n",
    );
    site.vellum(&["check"]).failure();
}

#[test]
fn a_template_error_names_the_essay_line_and_the_template() {
    let site = site("Text.\n\n{{ broken(n=1) }}\n")
        .file("templates/shortcodes/broken.html", "{{ n | nosuchthing }}")
        .file("templates/shortcodes/fails.html", "{{ missing.field }}");
    let run = site.build(&[]).success();
    run.stderr_has("templates/shortcodes/broken.html");
    run.stderr_has("the shortcode `broken` is not a Tera template vellum can read");
    run.stderr_has("content/a.md:8: shortcode `broken`");
    site.write(
        "content/a.md",
        &essay("A", "2024-01-01", "Text.\n\n{{ fails() }}\n"),
    );
    let run = site.build(&[]).success();
    run.stderr_has("content/a.md:8: shortcode `fails` (templates/shortcodes/fails.html)");
}

#[test]
fn a_sites_template_overrides_the_built_in_of_its_name() {
    let site = site("{{< youtube abc >}}\n").file(
        "templates/shortcodes/youtube.html",
        "<p class=\"mine\">{{ args[0] }}</p>",
    );
    site.build(&[]).success();
    let page = site.html("a/index.html");
    assert_eq!(only_text(&page, "article p.mine"), "abc");
    assert_eq!(count(&page, "article .video-card"), 0);
}

#[test]
fn smart_punctuation_never_curls_the_quotes_in_a_call() {
    let site = site("\"Quoted\" -- {{ echo(key=\"it's \\\"straight\\\" -- here\") }}\n").file(
        "templates/shortcodes/echo.html",
        "<span class=\"e\">{{ key | safe }}</span>",
    );
    site.build(&[]).success();
    let html = body(&site);
    assert!(
        html.contains("“Quoted” – <span class=\"e\">it's \"straight\" -- here</span>"),
        "{html}"
    );
}

#[test]
fn an_essay_without_calls_renders_as_it_did_without_shortcodes() {
    // Braces, percent signs and lone `{{` that are not calls; and a site with shortcodes.
    let text = "# T\n\nA { brace } and 50% and {x} and `{{ code }}` and {{ alone.\n\nLater }} and %} too.\n\n```\n{% x %}\n```\n";
    let env = vellum::markdown::Env {
        shortcodes: builtin_scope(),
        ..Default::default()
    };
    let with = vellum::markdown::render_markdown_with(text, &env);
    let without = vellum::markdown::render_markdown(text);
    assert_eq!(with.html, without.html);
}

#[test]
fn hostile_input_stays_linear_and_never_panics() {
    let many_opens = "{{ ".repeat(50_000);
    let unclosed = "{% x() %} {{< y >}} {% raw %} {% highlight %} ".repeat(10_000);
    let on_one_line = "{{ nope }} ".repeat(20_000);
    let started = Instant::now();
    let site = site(&format!("{many_opens}\n\n{unclosed}\n\n{on_one_line}\n"));
    site.build(&[]).no_panic();
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}

/// Imports `site` into a folder beside it; returns the run, seen to succeed, and the new root.
fn import(site: &Site) -> (Run, std::path::PathBuf) {
    let (run, out) = crate::support::import(site);
    (run.success(), out)
}

#[test]
fn import_copies_a_zola_sites_shortcodes_and_names_those_tera_2_cannot_compile() {
    let site = Site::new()
        .file(
            "config.toml",
            "base_url = \"https://example.net\"\ntitle = \"G\"\n",
        )
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\ndate = 2024-01-01\n+++\n{{ good(x=\"1\") }}\n\n{{ old() }}\n",
        )
        .file(
            "templates/shortcodes/good.html",
            "<b class=\"good\">{{ x }}</b>",
        )
        .file(
            "templates/shortcodes/old.html",
            "<a href=\"{{ get_url(path=\"@/a.md\") }}\">x</a>",
        );
    let (run, out) = import(&site);
    let notes: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("needs rewriting"))
        .collect();
    assert_eq!(notes.len(), 1, "{run}");
    assert!(
        notes[0].starts_with("  templates/shortcodes/old.html"),
        "{run}"
    );
    assert!(notes[0].contains("get_url"), "{run}");
    assert!(out.join("templates/shortcodes/good.html").is_file());
    let built = vellum_in(&out, &["build"]).success();
    built.stderr_has("content/a.md:7: shortcode `old`: its template could not be compiled");
    let page = read_text(&out.join("public/a/index.html"));
    assert!(page.contains("<b class=\"good\">1</b>"), "{page}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn import_copies_the_jekyll_includes_posts_use_and_asks_for_them_in_tera() {
    let site = Site::new()
        .file("_config.yml", "title: J\nurl: https://example.org\nbaseurl: /notes\n")
        .file(
            "_posts/2020-01-01-a.md",
            "---\ntitle: A\n---\n{% include fig.html src=\"/notes/x.png\" %}\n\n![m]({{ '/m.png' | relative_url }})\n",
        )
        .file("_includes/fig.html", "<img class=\"fig\" src=\"{{ include.src }}\" alt=\"\">")
        .file("_includes/footer.html", "<footer></footer>");
    let (run, out) = import(&site);
    assert!(out.join("templates/shortcodes/fig.html").is_file());
    assert!(
        !out.join("templates/shortcodes/footer.html").exists(),
        "only what posts include"
    );
    assert!(
        run.stdout.lines().any(|l| l
            == "  templates/shortcodes/fig.html is a Jekyll (Liquid) include: rewrite it in Tera for its calls to render (until then they are shown as text, with a warning)"),
        "{run}"
    );
    assert!(
        !run.stdout.contains("Liquid output"),
        "relative_url is carried\n{run}"
    );
    vellum_in(&out, &["build"]).success();
    let page = read_text(&out.join("public/2020/01/01/a.html"));
    assert!(
        page.contains("<img class=\"fig\" src=\"/notes/x.png\""),
        "{page}"
    );
    assert!(page.contains("src=\"/notes/m.png\""), "{page}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn editing_a_shortcode_template_while_watching_renders_the_essays_again() {
    let site = site("{{ mark(x=\"1\") }}\n").file(
        "templates/shortcodes/mark.html",
        "<b class=\"v1\">{{ x }}</b>",
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vellum"))
        .arg("--root")
        .arg(site.root())
        .arg("watch")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start vellum watch");
    let page = || std::fs::read_to_string(site.path("public/a/index.html")).unwrap_or_default();
    let wait = |what: &str, check: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline && !check() {
            std::thread::sleep(Duration::from_millis(50));
        }
        check() || panic!("timed out waiting for {what}")
    };
    let first = wait("the first build", &|| page().contains("class=\"v1\""));
    site.write(
        "templates/shortcodes/mark.html",
        "<i class=\"v2\">{{ x }}</i>",
    );
    let second = wait("the re-render", &|| {
        page().contains("<i class=\"v2\">1</i>")
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(first && second);
}
