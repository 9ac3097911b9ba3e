using System.Text.Encodings.Web;

namespace CrmTenancy.WebApi.Http;

/// <summary>The authorization server's few server-rendered pages: one layout, encoded values, no script.</summary>
public static class Html
{
    public static string Encode(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    public static IResult Page(string title, string body, int statusCode = StatusCodes.Status200OK) =>
        Results.Content($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{Encode(title)}} · CrmTenancy</title>
            <style>
              :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
              body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: linear-gradient(135deg, #eef2ff, #f8fafc); color: #0f172a; }
              main { width: min(24rem, calc(100vw - 2rem)); background: #fff; border-radius: 14px; padding: 2rem; box-shadow: 0 10px 30px rgba(15, 23, 42, .12); }
              .brand { font-weight: 700; letter-spacing: .02em; color: #4338ca; margin: 0 0 .25rem; }
              h1 { font-size: 1.35rem; margin: 0 0 1.25rem; }
              label { display: block; font-size: .875rem; font-weight: 600; margin: .9rem 0 .35rem; }
              input { box-sizing: border-box; width: 100%; padding: .65rem .75rem; border: 1px solid #cbd5e1; border-radius: 8px; font-size: 1rem; }
              input:focus { outline: 2px solid #6366f1; border-color: #6366f1; }
              .hint { font-size: .8rem; color: #64748b; margin: .3rem 0 0; }
              button { margin-top: 1.4rem; width: 100%; padding: .75rem; border: 0; border-radius: 8px; background: #4338ca; color: #fff; font-size: 1rem; font-weight: 600; cursor: pointer; }
              button:hover { background: #3730a3; }
              .error { background: #fef2f2; color: #991b1b; border: 1px solid #fecaca; border-radius: 8px; padding: .65rem .75rem; font-size: .9rem; }
              .ok { background: #f0fdf4; color: #166534; border: 1px solid #bbf7d0; border-radius: 8px; padding: .65rem .75rem; }
            </style>
            </head>
            <body>
            <main>
            <p class="brand">CrmTenancy</p>
            {{body}}
            </main>
            </body>
            </html>
            """, "text/html; charset=utf-8", System.Text.Encoding.UTF8, statusCode);

    public static string Error(string? message) =>
        message is null ? "" : $"""<p class="error" role="alert">{Encode(message)}</p>""";

    public static string Hidden(string name, string? value) => $"""<input type="hidden" name="{Encode(name)}" value="{Encode(value)}">""";
}
