<!doctype html>
<html>
<head>
    <link rel="stylesheet" href="/css/prism.css">
    <script src="/js/prism.js"></script>
</head>
<body>
    <h1>Answer</h1>
    <div class="answer">{{ $answer }}</div>
    <?php echo 'Code samples are highlighted with Prism.js, not the Prism PHP package.'; ?>
</body>
</html>
